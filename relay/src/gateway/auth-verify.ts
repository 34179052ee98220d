/**
 * Checks an AUTH signature with Node's native ed25519 (tweetnacl is ~60x
 * slower, and AUTH storms happen whenever a relay restarts). The relay never
 * imports the end-to-end crypto; it only needs this one check.
 */
import { createPublicKey, verify } from "node:crypto";
import { authSigningInput, authSigSchema, deviceIdSchema } from "@neural-link/shared/protocol";

export type AuthCheck = { ok: true } | { ok: false; reason: string };

export function verifyAuthSignature(device: string, sig: string, challenge: Uint8Array, relayId: string): AuthCheck {
  if (!deviceIdSchema.safeParse(device).success) return { ok: false, reason: "malformed device id" };
  if (!authSigSchema.safeParse(sig).success) return { ok: false, reason: "malformed signature" };
  try {
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: device }, format: "jwk" });
    const good = verify(null, authSigningInput(challenge, relayId), key, Buffer.from(sig, "base64url"));
    return good ? { ok: true } : { ok: false, reason: "bad signature" };
  } catch {
    return { ok: false, reason: "bad device key" };
  }
}
