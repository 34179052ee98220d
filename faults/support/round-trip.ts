/**
 * Round trips between two mutually granted devices: `a` sends a qos 0 frame
 * to `b`, `b` echoes it back, `a` times it. One frame in flight at a time, so
 * each sample is the latency another user would feel.
 */
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { frameId } from "../../relay/test/gateway-client";
import type { GatewayClient, Message } from "./devices";

export class RoundTripProbe {
  private readonly waiting = new Map<string, (ms: number) => void>();
  private readonly sentAt = new Map<string, number>();
  private readonly offEcho: () => void;
  private readonly offBack: () => void;

  constructor(
    private readonly a: GatewayClient,
    private readonly b: GatewayClient,
  ) {
    const echo = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as Message;
      if (m.t !== "FRAME") return;
      const d = m.d as { id: string; body: string };
      if (b.ws.readyState === WebSocket.OPEN) b.send({ op: 5, d: { id: d.id, to: a.device, body: d.body, qos: 0 } });
    };
    const back = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as Message;
      if (m.t !== "FRAME") return;
      const id = (m.d as { id: string }).id;
      const start = this.sentAt.get(id);
      const done = this.waiting.get(id);
      if (start === undefined || done === undefined) return;
      this.sentAt.delete(id);
      this.waiting.delete(id);
      done(performance.now() - start);
    };
    b.ws.on("message", echo);
    a.ws.on("message", back);
    this.offEcho = () => b.ws.off("message", echo);
    this.offBack = () => a.ws.off("message", back);
  }

  /** One round trip in ms, or Infinity if it did not come back within `timeoutMs`. */
  once(timeoutMs = 10_000): Promise<number> {
    const id = frameId();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        this.sentAt.delete(id);
        resolve(Number.POSITIVE_INFINITY);
      }, timeoutMs);
      this.waiting.set(id, (ms) => {
        clearTimeout(timer);
        resolve(ms);
      });
      this.sentAt.set(id, performance.now());
      this.a.send({ op: 5, d: { id, to: this.b.device, body: "cHJvYmU", qos: 0 } });
    });
  }

  /** `count` round trips, `gapMs` apart (stays well under the op rate). */
  async sample(count: number, gapMs = 20, timeoutMs = 10_000): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      out.push(await this.once(timeoutMs));
      await new Promise((r) => setTimeout(r, gapMs));
    }
    return out;
  }

  /** Samples until `stop()` resolves true (checked between samples), at most `max`. */
  async sampleWhile(keepGoing: () => boolean, max: number, gapMs = 20): Promise<number[]> {
    const out: number[] = [];
    while (keepGoing() && out.length < max) {
      out.push(await this.once());
      await new Promise((r) => setTimeout(r, gapMs));
    }
    return out;
  }

  dispose(): void {
    this.offEcho();
    this.offBack();
  }
}
