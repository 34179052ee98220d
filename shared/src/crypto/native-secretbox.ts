/**
 * libsodium's `crypto_secretbox` (XSalsa20-Poly1305: the construction of `nacl.box.after`, byte for byte)
 * through the `sodium-native` addon, where the runtime can load it: Node and Electron's main process, that is
 * the hub and the relay. A browser (the phone app, the desktop's renderer) has no `process` and gets null, and
 * shared/ seals in JavaScript there (secretbox.ts). Native code seals a 64 KiB terminal frame ~8x as fast as
 * the fastest JavaScript and, as it does not wait on a JIT, costs a keystroke's frame little even after the
 * process sat idle (`npm run bench:secretbox`).
 *
 * Loaded without a static import so that no bundler sees a native module: `process.getBuiltinModule`
 * (Node >= 20.16) gives `createRequire`, which finds `sodium-native` from this file's place as Node would.
 */

/** The two functions of sodium-native used here (its own signatures: output first). */
interface Sodium {
  crypto_secretbox_easy(out: Uint8Array, plaintext: Uint8Array, nonce: Uint8Array, key: Uint8Array): void;
  crypto_secretbox_open_easy(out: Uint8Array, boxed: Uint8Array, nonce: Uint8Array, key: Uint8Array): boolean;
}

/** XSalsa20-Poly1305 into caller-made buffers: `boxed` is `tag (16 bytes) || ciphertext`. */
export interface NativeSecretbox {
  /** Writes `tag || ciphertext` of `plaintext` into `out`, which must be exactly 16 bytes longer. */
  seal(out: Uint8Array, plaintext: Uint8Array, nonce: Uint8Array, key: Uint8Array): void;
  /** Writes the plaintext of `boxed` into `out` (16 bytes shorter); false if it does not authenticate. */
  open(out: Uint8Array, boxed: Uint8Array, nonce: Uint8Array, key: Uint8Array): boolean;
}

interface NodeProcess {
  getBuiltinModule?(id: string): unknown;
  env?: Record<string, string | undefined>;
}

/**
 * Set to `javascript` in the environment, the process seals in JavaScript even where libsodium loads: for
 * comparisons in one run (`npm run bench:terminal`) and for the tests of the JavaScript path.
 */
export const SECRETBOX_ENV = "NEURAL_LINK_SECRETBOX";

/** libsodium's secretbox, or null where it cannot be loaded (a browser) or is turned off by SECRETBOX_ENV. */
export function loadNativeSecretbox(): NativeSecretbox | null {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (proc?.env?.[SECRETBOX_ENV] === "javascript") return null;
  const nodeModule = proc?.getBuiltinModule?.("node:module") as
    { createRequire(from: string): (id: string) => unknown } | undefined;
  if (!nodeModule) return null;
  let sodium: Sodium;
  try {
    sodium = nodeModule.createRequire((import.meta as unknown as { url: string }).url)("sodium-native") as Sodium;
  } catch {
    // Not installed for this platform: the JavaScript path makes the same bytes.
    return null;
  }
  return {
    seal: (out, plaintext, nonce, key) => sodium.crypto_secretbox_easy(out, plaintext, nonce, key),
    open: (out, boxed, nonce, key) => sodium.crypto_secretbox_open_easy(out, boxed, nonce, key),
  };
}
