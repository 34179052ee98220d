/**
 * Answers to ops (docs/protocol.md section 6): a REPLY when the op carried a ref,
 * an ERROR event when it failed without one, nothing when it succeeded
 * without one. Failures other than OpError are logged and reported as
 * `internal`, with no detail sent to the client.
 */
import { EventName } from "@neural-link/shared/protocol";
import { OpError } from "../errors";
import type { GatewayContext } from "./context";
import type { Session } from "./session";

export interface OpIdentity {
  op: number;
  ref: string | undefined;
  /** The frame id, for SEND. */
  id: string | undefined;
}

export function replyError(ctx: GatewayContext, session: Session | null, op: OpIdentity, err: unknown): void {
  const known = err instanceof OpError;
  if (!known) ctx.log.error({ err: err instanceof Error ? err.message : String(err), op: op.op }, "op failed");
  const code = known ? err.code : "internal";
  const message = known ? err.message : "internal error";
  ctx.metrics.rejected(code);
  if (session === null) return;
  if (op.ref !== undefined) session.emit(EventName.REPLY, { ref: op.ref, ok: false, code, message });
  else session.emit(EventName.ERROR, { op: op.op, ...(op.id !== undefined ? { id: op.id } : {}), code, message });
}

/** Runs an op (sync or async) and answers it. Never throws. */
export function runOp(ctx: GatewayContext, session: Session, op: OpIdentity, work: () => unknown): void {
  const ok = (value: unknown) => {
    if (op.ref === undefined) return;
    const extra = typeof value === "object" && value !== null ? value : {};
    session.emit(EventName.REPLY, { ref: op.ref, ok: true, ...extra });
  };
  try {
    const out = work();
    if (out instanceof Promise) out.then(ok, (err: unknown) => replyError(ctx, session, op, err));
    else ok(out);
  } catch (err) {
    replyError(ctx, session, op, err);
  }
}
