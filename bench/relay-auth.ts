/**
 * AUTH verifications in one relay process (bench/relay.ts, run inside the
 * relay's child process): the relay's own `verifyAuthSignature` (node:crypto
 * ed25519, docs/protocol.md section 4) over distinct devices and signatures
 * made beforehand, so only verification is timed, never the signing.
 * Two figures: per second of wall time (what the process did on this machine,
 * which on a shared machine depends on the load), and per second of the
 * process's own CPU time (process.cpuUsage: what one core does, robust to load).
 */
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { authSigningInput } from "@neural-link/shared/protocol";
import { verifyAuthSignature } from "../relay/src/gateway/auth-verify";

const DEVICES = 256;
const VERIFICATIONS = 4000;

export interface AuthRate {
  /** Verifications per second of wall time. */
  perSecond: number;
  /** Verifications per second of this process's CPU time (user + system). */
  perCpuSecond: number;
}

export function authVerificationRate(relayId: string): AuthRate {
  const challenge = randomBytes(32);
  const input = authSigningInput(challenge, relayId);
  const signed = Array.from({ length: DEVICES }, () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    return { device: publicKey.export({ format: "jwk" }).x!, sig: sign(null, input, privateKey).toString("base64url") };
  });
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < VERIFICATIONS; i++) {
    const { device, sig } = signed[i % DEVICES]!;
    if (!verifyAuthSignature(device, sig, challenge, relayId).ok) throw new Error("a good signature did not verify");
  }
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: VERIFICATIONS / wallSeconds, perCpuSecond: VERIFICATIONS / ((cpu.user + cpu.system) / 1e6) };
}
