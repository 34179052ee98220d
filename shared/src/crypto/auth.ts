import nacl from "tweetnacl";
import { b64uDecode, b64uEncode } from "../encoding/b64u";
import { authSigningInput } from "../protocol/auth";

/**
 * The `sig` of AUTH: a detached ed25519 signature over
 * `utf8("nlink-auth-v1\0") || challenge || utf8(relay)`.
 *
 * @example signAuth(b64uDecode(hello.d.challenge), hello.d.relay, identity.signSecretKey)
 */
export function signAuth(challenge: Uint8Array, relayId: string, signSecretKey: Uint8Array): string {
  return b64uEncode(nacl.sign.detached(authSigningInput(challenge, relayId), signSecretKey));
}

/** Checks an AUTH signature with tweetnacl (the relay uses the platform's native ed25519 instead). */
export function verifyAuth(deviceId: string, challenge: Uint8Array, relayId: string, sig: string): boolean {
  try {
    const key = b64uDecode(deviceId);
    const signature = b64uDecode(sig);
    if (key.length !== 32 || signature.length !== 64) return false;
    return nacl.sign.detached.verify(authSigningInput(challenge, relayId), signature, key);
  } catch {
    return false;
  }
}
