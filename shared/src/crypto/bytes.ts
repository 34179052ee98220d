import nacl from "tweetnacl";

/** Compares two byte strings in time that depends only on their lengths. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Bytes drawn from the platform's CSPRNG at a time by `randomBytes`. */
const POOL_BYTES = 4096;
/** Larger requests are drawn on their own (by tweetnacl, which splits what passes getRandomValues' 64 KiB). */
const POOL_MAX_REQUEST = 256;
let pool = new Uint8Array(0);
let poolUsed = 0;

/**
 * Cryptographically random bytes for values that go on the wire in the clear: frame and call ids and
 * envelope nonces. Drawn from the platform's CSPRNG (`crypto.getRandomValues`) 4 KiB at a time and handed
 * out once each, erased from the pool as they go: one call into the runtime per ~100 frames rather than two
 * per frame, which on an idle hub cost ~0.1 ms each, cold, on a keystroke's path. Keys and pairing tokens
 * come from tweetnacl's own `randomBytes`, never from here.
 */
export function randomBytes(n: number): Uint8Array {
  if (n > POOL_MAX_REQUEST) return nacl.randomBytes(n);
  if (poolUsed + n > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    poolUsed = 0;
  }
  const out = pool.slice(poolUsed, poolUsed + n);
  pool.fill(0, poolUsed, poolUsed + n);
  poolUsed += n;
  return out;
}

/** SHA-512 of the input, as tweetnacl's `nacl.hash`. */
export function sha512(input: Uint8Array): Uint8Array {
  return nacl.hash(input);
}
