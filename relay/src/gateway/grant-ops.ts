/** GRANT and REVOKE (docs/protocol.md section 7). */
import type { GrantPayload } from "@neural-link/shared/protocol";
import { OpError } from "../errors";
import type { GatewayContext } from "./context";

export async function handleGrant(ctx: GatewayContext, device: string, d: GrantPayload): Promise<void> {
  // Mutual peers are two devices: a device is never its own peer, nor told of its own presence.
  if (d.peer === device) throw new OpError("bad_request", "a device cannot grant itself");
  await ctx.grants.grant(device, d.peer, ctx.now());
  // Cluster: every node applies it before the REPLY, so a SEND on any node sees it next.
  await ctx.cluster?.grantChanged(device, d.peer, true);
  ctx.presence.relationChanged(device, d.peer);
}

/** Withdraws the grant and deletes the peer's frames stored for the revoker. */
export async function handleRevoke(ctx: GatewayContext, device: string, d: GrantPayload): Promise<void> {
  await ctx.grants.revoke(device, d.peer);
  await ctx.queue.dropFromSender(device, d.peer);
  await ctx.cluster?.grantChanged(device, d.peer, false);
  ctx.presence.relationChanged(device, d.peer);
}
