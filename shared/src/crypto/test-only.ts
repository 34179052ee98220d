/**
 * Guards the entry points that take an injected nonce: fixed nonces are for
 * test vectors only, and a reused nonce would break the encryption.
 */
export function assertTestRuntime(what: string): void {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (env?.VITEST !== "true" && env?.NODE_ENV !== "test") {
    throw new Error(`${what} takes a fixed nonce and runs only under tests`);
  }
}
