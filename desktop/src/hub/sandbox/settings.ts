/** Sandbox settings, each a named value with its default. */
export interface SandboxSettings {
  /** Size limit of the private /tmp (and /dev/shm) inside a bubblewrap sandbox, bytes (256 MiB). */
  tmpSizeBytes: number;
  /** How long the start-up probe (`detectSandbox`) may take before the sandbox counts as broken, ms. */
  probeTimeoutMs: number;
  /** The bwrap program; null: /usr/bin/bwrap, /usr/local/bin/bwrap, then the hub's PATH. */
  bwrapPath: string | null;
}

export const SANDBOX_DEFAULTS: Readonly<SandboxSettings> = Object.freeze({
  tmpSizeBytes: 256 * 1024 * 1024,
  probeTimeoutMs: 5000,
  bwrapPath: null,
});

export function resolveSandboxSettings(overrides: Partial<SandboxSettings> = {}): SandboxSettings {
  return { ...SANDBOX_DEFAULTS, ...overrides };
}
