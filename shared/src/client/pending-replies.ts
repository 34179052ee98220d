import type { ReplyEvent } from "../protocol/events";
import type { TimeoutHandle } from "./timers";
import { GatewayReplyError, GatewayUnavailableError } from "./errors";

type OkReply = Extract<ReplyEvent, { ok: true }>;

interface Pending {
  resolve(reply: OkReply): void;
  reject(err: Error): void;
  timer: TimeoutHandle;
}

/**
 * Ops sent with a `ref`, each waiting for its one REPLY (docs/protocol.md section 6).
 * Refs are unique per client; a REPLY nobody waits for (it came after its
 * timeout) is ignored.
 */
export class PendingReplies {
  private readonly waiting = new Map<string, Pending>();
  private next = 0;

  constructor(private readonly timeoutMs: () => number) {}

  /** A fresh ref and the promise of its reply. */
  open(): { ref: string; reply: Promise<OkReply> } {
    const ref = `r${(++this.next).toString(36)}`;
    const reply = new Promise<OkReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(ref);
        reject(new GatewayUnavailableError("timeout", "no reply from the relay in time"));
      }, this.timeoutMs());
      this.waiting.set(ref, { resolve, reject, timer });
    });
    return { ref, reply };
  }

  settle(reply: ReplyEvent): boolean {
    const pending = this.waiting.get(reply.ref);
    if (!pending) return false;
    this.waiting.delete(reply.ref);
    clearTimeout(pending.timer);
    if (reply.ok) pending.resolve(reply);
    else pending.reject(new GatewayReplyError(reply.code, reply.message));
    return true;
  }

  /** Fails one waiter, e.g. when its op could not even be written. */
  fail(ref: string, err: Error): void {
    const pending = this.waiting.get(ref);
    if (!pending) return;
    this.waiting.delete(ref);
    clearTimeout(pending.timer);
    pending.reject(err);
  }

  /** Fails every waiter: the connection that would have carried their replies is gone. */
  failAll(err: Error): void {
    for (const ref of [...this.waiting.keys()]) this.fail(ref, err);
  }

  get size(): number {
    return this.waiting.size;
  }
}
