/** PAIR_OPEN, PAIR_REQUEST and PAIR_CLOSE (docs/protocol.md section 10). */
import {
  b64uDecodedLength,
  EventName,
  type PairClosePayload,
  type PairOpenPayload,
  type PairRequestPayload,
} from "@neural-link/shared/protocol";
import { OpError } from "../errors";
import type { GatewayContext } from "./context";

export async function handlePairOpen(ctx: GatewayContext, device: string, d: PairOpenPayload): Promise<void> {
  await ctx.rendezvous.openFor(device, d.rendezvous, d.ttl_s, ctx.now());
}

/** Forwards the request to the opener (on this node or, in a cluster, on its node), never storing it. */
export async function handlePairRequest(ctx: GatewayContext, device: string, d: PairRequestPayload): Promise<void> {
  if (b64uDecodedLength(d.body) > ctx.settings.limits.maxBodyBytes) throw new OpError("too_large", "body too large");
  const now = ctx.now();
  const opener = await ctx.rendezvous.openerOf(d.rendezvous, now);
  const target = opener === undefined ? undefined : ctx.registry.liveSession(opener);
  const remote = opener !== undefined && target === undefined && ctx.cluster?.locate(opener) !== undefined;
  if (target === undefined && !remote)
    throw new OpError("rendezvous_closed", "no such rendezvous is open, or its opener is offline");
  await ctx.rendezvous.request(d.rendezvous, now);
  const event = { rendezvous: d.rendezvous, from: device, body: d.body };
  if (target !== undefined) return target.emit(EventName.PAIR_REQUEST, event);
  if (!ctx.cluster!.forwardPair(opener!, d.rendezvous, device, d.body))
    throw new OpError("rendezvous_closed", "the opener went offline");
}

export async function handlePairClose(ctx: GatewayContext, device: string, d: PairClosePayload): Promise<void> {
  await ctx.rendezvous.close(device, d.rendezvous, ctx.now());
}
