/**
 * AUTH verifications per second in one relay process (bench/relay.ts, run
 * inside the relay's child process): the relay's own `verifyAuthSignature`
 * (node:crypto ed25519, docs/protocol.md section 4) over distinct devices and
 * signatures made beforehand, so only verification is timed.
 */
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { authSigningInput } from "@neural-link/shared/protocol";
import { verifyAuthSignature } from "../relay/src/gateway/auth-verify";

const DEVICES = 256;
const VERIFICATIONS = 4000;

export function authVerificationsPerSecond(relayId: string): number {
  const challenge = randomBytes(32);
  const input = authSigningInput(challenge, relayId);
  const signed = Array.from({ length: DEVICES }, () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    return { device: publicKey.export({ format: "jwk" }).x!, sig: sign(null, input, privateKey).toString("base64url") };
  });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < VERIFICATIONS; i++) {
    const { device, sig } = signed[i % DEVICES]!;
    if (!verifyAuthSignature(device, sig, challenge, relayId).ok) throw new Error("a good signature did not verify");
  }
  return VERIFICATIONS / (Number(process.hrtime.bigint() - t0) / 1e9);
}
