import nacl from "tweetnacl";

/** Compares two byte strings in time that depends only on their lengths. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Cryptographically random bytes (tweetnacl picks the platform's CSPRNG). */
export function randomBytes(n: number): Uint8Array {
  return nacl.randomBytes(n);
}

/** SHA-512 of the input, as tweetnacl's `nacl.hash`. */
export function sha512(input: Uint8Array): Uint8Array {
  return nacl.hash(input);
}
