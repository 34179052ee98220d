/**
 * The application layer over sealed frames (docs/protocol.md sections 8 and 11):
 * seals outgoing messages, opens incoming ones with every drop rule, ACKs
 * each qos 1 frame (dropped ones too), and makes RPC calls.
 */
import { b64u, unb64u } from "./b64u";
import { ConformanceError, DEFAULT_WAIT_MS } from "./connection";
import { randomId } from "./identity";
import { type DropReason, type Inner, openEnvelope, pairKey, sealEnvelope, type SeenIds } from "./envelope";
import type { Session } from "./session";
import type { Reply } from "./wire";

export interface Received {
  inner: Inner;
  qos: number;
}

export class RpcError extends Error {
  override readonly name = "RpcError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export class AppPeer {
  /** Box public keys of the devices this peer talks to, by device id. */
  readonly peers = new Map<string, Uint8Array>();
  readonly seen: SeenIds = new Set();
  readonly dropped: { id: string; reason: DropReason | "unknown_peer" }[] = [];
  private readonly buffer: Received[] = [];
  private calls = 0;

  constructor(readonly session: Session) {}

  /** Seals `{t, d}` for `to` and SENDs it; resolves with the relay's REPLY. */
  async send(to: string, t: string, d: unknown, qos: 0 | 1 = 1): Promise<Reply> {
    const box = this.peers.get(to);
    if (!box) throw new ConformanceError(`no box key known for ${to}`);
    const id = randomId();
    const inner: Inner = { v: 1, id, from: this.session.id, to, ts: Date.now(), t, d };
    return this.session.sendFrame({
      id,
      to,
      qos,
      body: b64u(sealEnvelope(pairKey(box, this.session.device.box.secretKey), inner)),
    });
  }

  /** Waits for the next opened message matching `pred`; messages that do not match stay buffered. */
  async next(pred: (r: Received) => boolean, what = "an app message", timeoutMs = DEFAULT_WAIT_MS): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.buffer.findIndex(pred);
      if (at >= 0) return this.buffer.splice(at, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0) throw new ConformanceError(`timed out waiting for ${what}`);
      const f = await this.session.frame(undefined, left).catch((err: Error) => {
        throw new ConformanceError(`waiting for ${what}: ${err.message}`);
      });
      if (f.qos === 1) this.session.ack([f.id]);
      const box = this.peers.get(f.from);
      if (!box) {
        this.dropped.push({ id: f.id, reason: "unknown_peer" });
        continue;
      }
      const opened = openEnvelope(
        pairKey(box, this.session.device.box.secretKey),
        unb64u(f.body),
        f,
        this.session.id,
        Date.now(),
        this.seen,
      );
      if (opened.ok) this.buffer.push({ inner: opened.inner, qos: f.qos });
      else this.dropped.push({ id: f.id, reason: opened.reason });
    }
  }

  /** Calls `method` on `hub` and resolves with its result; an rpc.error rejects with RpcError. */
  async call(hub: string, method: string, params: unknown, timeoutMs = DEFAULT_WAIT_MS): Promise<unknown> {
    this.calls += 1;
    const call = `c${this.calls}-${randomId()}`;
    const reply = await this.send(hub, "rpc", { call, method, params }, 1);
    if (!reply.ok) throw new ConformanceError(`rpc SEND refused by the relay: ${reply.code}`);
    const isAnswer = (r: Received) =>
      (r.inner.t === "rpc.result" || r.inner.t === "rpc.error") && (r.inner.d as { call?: unknown }).call === call;
    const answer = await this.next(isAnswer, `the answer to ${method}`, timeoutMs);
    const d = answer.inner.d as { result?: unknown; code?: string; message?: string };
    if (answer.inner.t === "rpc.error") throw new RpcError(String(d.code), String(d.message));
    return d.result;
  }
}
