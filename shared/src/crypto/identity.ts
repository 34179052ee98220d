import nacl from "tweetnacl";
import { b64uDecode, b64uEncode } from "../encoding/b64u";

/** A device's two key pairs: ed25519 for signing (its id) and X25519 for encryption. */
export interface Identity {
  signPublicKey: Uint8Array;
  signSecretKey: Uint8Array;
  boxPublicKey: Uint8Array;
  boxSecretKey: Uint8Array;
}

/** Makes a fresh identity. Keep the result secret; only the public halves travel. */
export function generateIdentity(): Identity {
  const sign = nacl.sign.keyPair();
  const box = nacl.box.keyPair();
  return {
    signPublicKey: sign.publicKey,
    signSecretKey: sign.secretKey,
    boxPublicKey: box.publicKey,
    boxSecretKey: box.secretKey,
  };
}

/** Rebuilds an identity from a 32-byte signing seed and a 32-byte box secret key (test vectors, backups). */
export function identityFromSecrets(signSeed: Uint8Array, boxSecretKey: Uint8Array): Identity {
  const sign = nacl.sign.keyPair.fromSeed(signSeed);
  const box = nacl.box.keyPair.fromSecretKey(boxSecretKey);
  return {
    signPublicKey: sign.publicKey,
    signSecretKey: sign.secretKey,
    boxPublicKey: box.publicKey,
    boxSecretKey: box.secretKey,
  };
}

/** Device id: base64url of the signing public key, 43 characters. */
export function deviceIdOf(signPublicKey: Uint8Array): string {
  return b64uEncode(signPublicKey);
}

/** The signing public key a device id names; throws on a malformed id. */
export function signPublicKeyOf(deviceId: string): Uint8Array {
  const key = b64uDecode(deviceId);
  if (key.length !== nacl.sign.publicKeyLength) throw new Error("a device id holds 32 bytes");
  return key;
}

/** Serialisable form for storage (IndexedDB, a 0600 file). */
export interface StoredIdentity {
  signPublicKey: string;
  signSecretKey: string;
  boxPublicKey: string;
  boxSecretKey: string;
}

export function identityToStored(id: Identity): StoredIdentity {
  return {
    signPublicKey: b64uEncode(id.signPublicKey),
    signSecretKey: b64uEncode(id.signSecretKey),
    boxPublicKey: b64uEncode(id.boxPublicKey),
    boxSecretKey: b64uEncode(id.boxSecretKey),
  };
}

/** Parses a stored identity and checks that its halves belong together. */
export function identityFromStored(stored: StoredIdentity): Identity {
  const signSecretKey = b64uDecode(stored.signSecretKey);
  const boxSecretKey = b64uDecode(stored.boxSecretKey);
  if (signSecretKey.length !== 64 || boxSecretKey.length !== 32)
    throw new Error("stored identity has keys of the wrong size");
  const rebuilt = identityFromSecrets(signSecretKey.subarray(0, 32), boxSecretKey);
  if (
    b64uEncode(rebuilt.signPublicKey) !== stored.signPublicKey ||
    b64uEncode(rebuilt.boxPublicKey) !== stored.boxPublicKey
  ) {
    throw new Error("stored identity's public keys do not match its secret keys");
  }
  return rebuilt;
}
