/**
 * A sender of numbered qos 1 frames at a steady rate below the relay's op
 * limit, tracking each frame's answer: `stored`, an error code, or nothing
 * (the connection died first). What a sender "knows" is exactly this record.
 */
import WebSocket from "ws";
import { frameId } from "../../relay/test/gateway-client";
import { type GatewayClient, type Message, seqBody } from "./devices";

export interface SentFrame {
  seq: number;
  id: string;
  /** `stored`, `sent`, `dropped`, an error code, or undefined while unanswered. */
  answer?: string;
}

export class FrameStream {
  readonly frames: SentFrame[] = [];
  private readonly byRef = new Map<string, SentFrame>();
  private client!: GatewayClient;
  private readonly listener = (data: WebSocket.RawData) => {
    const m = JSON.parse(data.toString()) as Message;
    if (m.t !== "REPLY") return;
    const d = m.d as { ref: string; ok: boolean; status?: string; code?: string };
    const frame = this.byRef.get(d.ref);
    if (frame === undefined) return;
    this.byRef.delete(d.ref);
    frame.answer = d.ok ? d.status : d.code;
  };

  constructor(
    client: GatewayClient,
    private readonly to: string,
    private readonly qos: 0 | 1 = 1,
  ) {
    this.use(client);
  }

  /** Sends later frames (and retries) over another connection. */
  use(client: GatewayClient): void {
    this.client?.ws.off("message", this.listener);
    this.client = client;
    client.ws.on("message", this.listener);
  }

  private write(frame: SentFrame): boolean {
    if (this.client.ws.readyState !== WebSocket.OPEN) return false;
    const ref = `${frame.seq}-${Math.random().toString(36).slice(2, 8)}`;
    this.byRef.set(ref, frame);
    this.client.send({ op: 5, d: { id: frame.id, to: this.to, body: seqBody(frame.seq), qos: this.qos, ref } });
    return true;
  }

  /**
   * Sends frames `count` times at `perSecond`, stopping early once the socket
   * is closed or `stopWhen` says so. Returns how many were written.
   */
  async run(count: number, perSecond: number, stopWhen: () => boolean = () => false): Promise<number> {
    const gap = 1000 / perSecond;
    const start = Date.now();
    let written = 0;
    for (let i = 0; i < count && !stopWhen(); i++) {
      const frame: SentFrame = { seq: this.frames.length, id: frameId() };
      if (!this.write(frame)) break;
      this.frames.push(frame);
      written += 1;
      const wait = start + (i + 1) * gap - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    return written;
  }

  /** Sends again, with the same ids, every frame not answered `stored` (what a client's outbox does). */
  async retryUnstored(perSecond: number): Promise<number> {
    const todo = this.frames.filter((f) => f.answer !== "stored");
    for (const f of todo) {
      f.answer = undefined;
      if (!this.write(f)) break;
      await new Promise((r) => setTimeout(r, 1000 / perSecond));
    }
    return todo.length;
  }

  answered(answer: string): SentFrame[] {
    return this.frames.filter((f) => f.answer === answer);
  }

  get unanswered(): number {
    return this.frames.filter((f) => f.answer === undefined).length;
  }

  dispose(): void {
    this.client.ws.off("message", this.listener);
  }
}
