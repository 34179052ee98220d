import { xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import nacl from "tweetnacl";
import { loadNativeSecretbox } from "./native-secretbox";

/** Key, nonce and tag sizes of XSalsa20-Poly1305 (nacl's secretbox, and `nacl.box.after`). */
export const SECRETBOX_KEY_BYTES = 32;
export const SECRETBOX_NONCE_BYTES = 24;
export const SECRETBOX_TAG_BYTES = 16;
/**
 * Below this many bytes tweetnacl is the faster of the two (noble's per-message setup dominates: a
 * 256-byte keystroke frame seals at ~0.55x), at and above it @noble/ciphers (1.4x to 1.9x from 16 KiB):
 * measured by `npm run bench:secretbox`. Both make the same bytes.
 */
export const SMALL_BOX_BYTES = 4096;
/** libsodium where the runtime loads it (the hub, Node), else null and the JavaScript paths below (a browser). */
export const nativeSecretbox = loadNativeSecretbox();

/** Which code seals and opens envelopes in this process, for the hub's start-up log and the benchmarks. */
export const secretboxBackend: "libsodium" | "javascript" = nativeSecretbox ? "libsodium" : "javascript";

/** noble's encrypt writes a 32-byte scratch area in front of what it returns, of which 16 precede the tag. */
const SCRATCH_BEFORE_OUTPUT = 16;

/**
 * XSalsa20-Poly1305 with a precomputed key: byte for byte what `nacl.box.after(plaintext, nonce, key)`
 * makes (the key is `nacl.box.before`). Computed by libsodium where it loads (native-secretbox.ts), else
 * in JavaScript (`javascriptSeal`); differential tests of each in secretbox.test.ts. The result is
 * `tag || ciphertext` placed after `headerBytes` bytes left for the caller (at least 16), so that an
 * envelope is made in one buffer without a copy. The result may be a view that does not start at its
 * buffer's first byte (see `byteOffset`).
 *
 * @example
 *   const env = sealSecretbox(key, nonce, plaintext, 25); // env[25..] = nacl.box.after(plaintext, nonce, key)
 */
export function sealSecretbox(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  headerBytes = SCRATCH_BEFORE_OUTPUT,
): Uint8Array {
  if (headerBytes < SCRATCH_BEFORE_OUTPUT) throw new RangeError("sealSecretbox needs a header of at least 16 bytes");
  if (!nativeSecretbox) return javascriptSeal(key, nonce, plaintext, headerBytes);
  const out = new Uint8Array(headerBytes + SECRETBOX_TAG_BYTES + plaintext.length);
  nativeSecretbox.seal(out.subarray(headerBytes), plaintext, nonce, key);
  return out;
}

/**
 * Opens `tag || ciphertext` sealed by `nacl.box.after` (or `sealSecretbox`) with `key` and `nonce`:
 * the plaintext, or null when it does not authenticate (as `nacl.box.open.after` answers).
 */
export function openSecretbox(key: Uint8Array, nonce: Uint8Array, boxed: Uint8Array): Uint8Array | null {
  if (boxed.length < SECRETBOX_TAG_BYTES) return null;
  if (!nativeSecretbox) return javascriptOpen(key, nonce, boxed);
  const out = new Uint8Array(boxed.length - SECRETBOX_TAG_BYTES);
  return nativeSecretbox.open(out, boxed, nonce, key) ? out : null;
}

/**
 * sealSecretbox without libsodium (a browser): tweetnacl below SMALL_BOX_BYTES, @noble/ciphers from there on,
 * whose scratch area lands in the header and is zeroed.
 */
export function javascriptSeal(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  headerBytes: number,
): Uint8Array {
  if (plaintext.length >= SMALL_BOX_BYTES) return nobleSeal(key, nonce, plaintext, headerBytes);
  const out = new Uint8Array(headerBytes + SECRETBOX_TAG_BYTES + plaintext.length);
  out.set(nacl.box.after(plaintext, nonce, key), headerBytes);
  return out;
}

/** openSecretbox without libsodium (a browser): tweetnacl below SMALL_BOX_BYTES, @noble/ciphers from there on. */
export function javascriptOpen(key: Uint8Array, nonce: Uint8Array, boxed: Uint8Array): Uint8Array | null {
  if (boxed.length < SECRETBOX_TAG_BYTES) return null;
  if (boxed.length - SECRETBOX_TAG_BYTES < SMALL_BOX_BYTES) return nacl.box.open.after(boxed, nonce, key);
  return nobleOpen(key, nonce, boxed);
}

/** The @noble/ciphers half of javascriptSeal, at any size (exported for the differential test). */
export function nobleSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, headerBytes: number): Uint8Array {
  // noble runs ~25% faster on an output it can view as 32-bit words: pad the buffer so that its part starts aligned.
  const pad = (4 - ((headerBytes - SCRATCH_BEFORE_OUTPUT) % 4)) % 4;
  const out = new Uint8Array(pad + headerBytes + SECRETBOX_TAG_BYTES + plaintext.length).subarray(pad);
  // A cipher object per message: noble's keeps references to key and nonce, so none outlives this call.
  xsalsa20poly1305(key, nonce).encrypt(plaintext, out.subarray(headerBytes - SCRATCH_BEFORE_OUTPUT));
  return out;
}

/** The @noble/ciphers half of javascriptOpen, at any size (exported for the differential test). */
export function nobleOpen(key: Uint8Array, nonce: Uint8Array, boxed: Uint8Array): Uint8Array | null {
  if (boxed.length < SECRETBOX_TAG_BYTES) return null;
  try {
    return xsalsa20poly1305(key, nonce).decrypt(boxed);
  } catch {
    // The only failure left with valid sizes is a tag that does not match.
    return null;
  }
}
