/** Routes an authenticated client's op to its handler (HEARTBEAT and AUTH stay with the connection). */
import { type ClientMessage, Op } from "@neural-link/shared/protocol";
import type { GatewayContext } from "./context";
import { frameOfSend, handleAck, handleSend, sendQos0 } from "./frame-router";
import { handleGrant, handleRevoke } from "./grant-ops";
import { handlePairClose, handlePairOpen, handlePairRequest } from "./pair-ops";
import { runOp } from "./replies";
import type { Session } from "./session";

export type SessionOp = Exclude<ClientMessage, { op: typeof Op.HEARTBEAT } | { op: typeof Op.AUTH }>;

export function dispatchOp(ctx: GatewayContext, session: Session, message: SessionOp): void {
  const device = session.device;
  switch (message.op) {
    case Op.SEND: {
      const d = message.d;
      const frame = frameOfSend(d, device, ctx.now());
      // qos 0 is answered synchronously (no promise per frame); qos 1 once stored.
      if (d.qos === 0)
        return runOp(ctx, session, { op: message.op, ref: d.ref, id: d.id }, () => ({
          status: sendQos0(ctx, d.to, frame),
        }));
      return runOp(ctx, session, { op: message.op, ref: d.ref, id: d.id }, async () => ({
        status: await handleSend(ctx, d.to, frame),
      }));
    }
    case Op.ACK:
      return runOp(ctx, session, { op: message.op, ref: undefined, id: undefined }, () =>
        handleAck(ctx, session, message.d.ids),
      );
    case Op.GRANT:
      return runOp(ctx, session, { op: message.op, ref: message.d.ref, id: undefined }, () =>
        handleGrant(ctx, device, message.d),
      );
    case Op.REVOKE:
      return runOp(ctx, session, { op: message.op, ref: message.d.ref, id: undefined }, () =>
        handleRevoke(ctx, device, message.d),
      );
    case Op.PAIR_OPEN:
      return runOp(ctx, session, { op: message.op, ref: message.d.ref, id: undefined }, () =>
        handlePairOpen(ctx, device, message.d),
      );
    case Op.PAIR_REQUEST:
      return runOp(ctx, session, { op: message.op, ref: message.d.ref, id: undefined }, () =>
        handlePairRequest(ctx, device, message.d),
      );
    case Op.PAIR_CLOSE:
      return runOp(ctx, session, { op: message.op, ref: message.d.ref, id: undefined }, () =>
        handlePairClose(ctx, device, message.d),
      );
    default: {
      const never: never = message;
      return never;
    }
  }
}
