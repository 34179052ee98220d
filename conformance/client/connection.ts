/**
 * One WebSocket to the gateway (docs/protocol.md sections 2 and 4): reads HELLO,
 * keeps every later message in an inbox that tests consume in order, answers
 * the relay's HEARTBEAT requests, and can keep a heartbeat going.
 */
import WebSocket from "ws";
import { type Hello, Op, type WireMessage } from "./wire";

/** How long `next` waits by default before failing with what it was waiting for. */
export const DEFAULT_WAIT_MS = 5000;

export class ConformanceError extends Error {
  override readonly name = "ConformanceError";
}

export interface CloseInfo {
  code: number;
  reason: string;
}

type Waiter = { pred: (m: WireMessage) => boolean; resolve: (m: WireMessage) => void; fail: (why: string) => void };

export class Connection {
  /** Messages received and not yet consumed by `next`, oldest first. */
  readonly inbox: WireMessage[] = [];
  /** Every message received after HELLO, consumed or not. */
  readonly log: WireMessage[] = [];
  /** Binary messages or texts that were not one JSON object: the relay must never send these. */
  readonly malformed: string[] = [];
  /** The last `s` received on an EVENT (what HEARTBEAT and resume carry). */
  lastSeq: number | null = null;
  closeInfo: CloseInfo | null = null;
  /** Answer the relay's HEARTBEAT requests (op 1) at once; off to play a client that has gone quiet. */
  answerHeartbeatRequests = true;
  readonly closed: Promise<CloseInfo>;
  private waiters: Waiter[] = [];
  private beat: NodeJS.Timeout | null = null;

  private constructor(
    readonly ws: WebSocket,
    readonly hello: Hello,
  ) {
    this.closed = new Promise((resolve) => {
      ws.on("close", (code, reason) => {
        this.stopHeartbeat();
        this.closeInfo = { code, reason: reason.toString("utf8") };
        resolve(this.closeInfo);
        // Nothing more can arrive: fail every waiter now rather than at its timeout.
        for (const w of this.waiters.splice(0)) w.fail(`connection closed ${code} ${this.closeInfo.reason}`);
      });
    });
    ws.on("message", (data, isBinary) => this.receive(data, isBinary));
  }

  /** Opens a socket and resolves once HELLO has arrived. Rejects if the first message is not HELLO. */
  static open(url: string, timeoutMs = DEFAULT_WAIT_MS): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new ConformanceError(`no HELLO from ${url} within ${timeoutMs} ms`));
      }, timeoutMs);
      ws.once("error", (err) => {
        clearTimeout(timer);
        reject(new ConformanceError(`cannot connect to ${url}: ${err.message}`));
      });
      ws.once("close", (code) => {
        clearTimeout(timer);
        reject(new ConformanceError(`closed with ${code} before HELLO`));
      });
      ws.once("message", (data, isBinary) => {
        clearTimeout(timer);
        ws.removeAllListeners("close");
        ws.removeAllListeners("error");
        ws.on("error", () => undefined);
        const msg = isBinary ? null : parse(rawText(data));
        if (msg === null || msg.op !== Op.HELLO) {
          ws.terminate();
          reject(new ConformanceError(`first message is not HELLO: ${rawText(data).slice(0, 200)}`));
          return;
        }
        resolve(new Connection(ws, msg.d as Hello));
      });
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends one message: an object is JSON-encoded, a string goes as is (for malformed input). */
  sendRaw(message: WireMessage | Record<string, unknown> | string): void {
    if (!this.isOpen) return;
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  send(op: number, d: unknown): void {
    this.sendRaw({ op, d });
  }

  /** Waits for (and consumes) the first message matching `pred`, including ones already in the inbox. */
  next(
    pred: (m: WireMessage) => boolean = () => true,
    what = "a message",
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<WireMessage> {
    const at = this.inbox.findIndex(pred);
    if (at >= 0) return Promise.resolve(this.inbox.splice(at, 1)[0]!);
    if (this.closeInfo)
      return Promise.reject(
        new ConformanceError(`waiting for ${what}: connection closed ${this.closeInfo.code} ${this.closeInfo.reason}`),
      );
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new ConformanceError(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const waiter: Waiter = {
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        fail: (why) => {
          clearTimeout(timer);
          reject(new ConformanceError(`waiting for ${what}: ${why}`));
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Waits for the next EVENT named `t`. */
  event(t: string, pred: (d: unknown) => boolean = () => true, timeoutMs = DEFAULT_WAIT_MS): Promise<WireMessage> {
    return this.next((m) => m.op === Op.EVENT && m.t === t && pred(m.d), `EVENT ${t}`, timeoutMs);
  }

  /** Resolves with the close code and reason; rejects if the socket stays open past the timeout. */
  waitClose(timeoutMs = DEFAULT_WAIT_MS): Promise<CloseInfo> {
    if (this.closeInfo) return Promise.resolve(this.closeInfo);
    return Promise.race([
      this.closed,
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new ConformanceError(`connection still open after ${timeoutMs} ms`)),
          timeoutMs,
        ).unref(),
      ),
    ]);
  }

  /** Sends HEARTBEAT with the last `s` every `intervalMs` until stopped or closed. */
  startHeartbeat(intervalMs = this.hello.heartbeat_interval): void {
    this.stopHeartbeat();
    this.beat = setInterval(() => this.send(Op.HEARTBEAT, this.lastSeq), intervalMs);
    this.beat.unref();
  }

  stopHeartbeat(): void {
    if (this.beat) clearInterval(this.beat);
    this.beat = null;
  }

  /** Closes cleanly (1000) and waits for the close to finish. */
  async close(): Promise<void> {
    this.stopHeartbeat();
    if (this.closeInfo) return;
    this.ws.close(1000);
    await Promise.race([this.closed, new Promise((r) => setTimeout(r, 1000).unref())]);
    if (!this.closeInfo) this.ws.terminate();
  }

  /** Drops the TCP connection without a close handshake, as a lost network would. */
  async drop(): Promise<void> {
    this.stopHeartbeat();
    if (this.closeInfo) return;
    this.ws.terminate();
    await this.closed;
  }

  private receive(data: WebSocket.RawData, isBinary: boolean): void {
    const text = rawText(data);
    const msg = isBinary ? null : parse(text);
    if (msg === null) {
      this.malformed.push(text.slice(0, 200));
      return;
    }
    if (msg.op === Op.EVENT && typeof msg.s === "number") this.lastSeq = msg.s;
    // The relay asks for a heartbeat now (docs/protocol.md section 3, op 1 relay to client).
    if (msg.op === Op.HEARTBEAT && this.answerHeartbeatRequests) this.send(Op.HEARTBEAT, this.lastSeq);
    this.log.push(msg);
    const i = this.waiters.findIndex((w) => w.pred(msg));
    if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(msg);
    else this.inbox.push(msg);
  }
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data as ArrayBuffer).toString("utf8");
}

function parse(text: string): WireMessage | null {
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== "object" || v === null || Array.isArray(v) || typeof (v as WireMessage).op !== "number")
      return null;
    return v as WireMessage;
  } catch {
    return null;
  }
}
