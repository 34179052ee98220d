/** PAIR_OPEN, PAIR_REQUEST and PAIR_CLOSE (docs/protocol.md section 10). */
import { b64uDecodedLength, EventName, type PairClosePayload, type PairOpenPayload, type PairRequestPayload } from "@neural-link/shared/protocol";
import { OpError } from "../errors";
import type { GatewayContext } from "./context";

export function handlePairOpen(ctx: GatewayContext, device: string, d: PairOpenPayload): void {
  ctx.rendezvous.openFor(device, d.rendezvous, d.ttl_s, ctx.now());
}

/** Forwards the request to the opener, never storing it. */
export function handlePairRequest(ctx: GatewayContext, device: string, d: PairRequestPayload): void {
  if (b64uDecodedLength(d.body) > ctx.settings.limits.maxBodyBytes) throw new OpError("too_large", "body too large");
  const now = ctx.now();
  const opener = ctx.rendezvous.openerOf(d.rendezvous, now);
  const target = opener === undefined ? undefined : ctx.registry.liveSession(opener);
  if (target === undefined) throw new OpError("rendezvous_closed", "no such rendezvous is open, or its opener is offline");
  ctx.rendezvous.request(d.rendezvous, now);
  target.emit(EventName.PAIR_REQUEST, { rendezvous: d.rendezvous, from: device, body: d.body });
}

export function handlePairClose(ctx: GatewayContext, device: string, d: PairClosePayload): void {
  ctx.rendezvous.close(device, d.rendezvous, ctx.now());
}
