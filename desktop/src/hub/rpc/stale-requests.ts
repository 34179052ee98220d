import { RpcError } from "@neural-link/shared/app";
import type { RpcCaller } from "@neural-link/shared/client";

/** Who calls, as the hub's handlers see it: the caller plus when its envelope was sealed. */
export interface HubCaller extends RpcCaller {
  /** The envelope's `ts` (the sender's clock), ms; absent for calls that did not come in an envelope. */
  sentAt?: number;
}

/** The rpc error code of a request that waited too long on the way (docs/protocol.md section 11). */
export const STALE_CODE = "stale";

/**
 * Refuses a request sealed more than `maxAgeMs` before it reached the hub: a relay may
 * hold frames for days, and a command or an approval must not take effect long after
 * the person sent it. Throws RpcError("stale") with how old it is, in words.
 */
export function refuseStale(caller: HubCaller, now: number, maxAgeMs: number): void {
  if (caller.sentAt === undefined) return;
  const age = now - caller.sentAt;
  if (age <= maxAgeMs) return;
  const minutes = Math.floor(age / 60_000);
  const when = minutes >= 120 ? `${Math.floor(minutes / 60)} hours` : minutes === 1 ? "1 minute" : `${minutes} minutes`;
  throw new RpcError(STALE_CODE, `this request was sent ${when} ago; send it again`);
}
