/**
 * A minimal gateway client for the relay's tests and benchmark, written from
 * the protocol page alone (docs/protocol.md): `ws` plus Node's ed25519, no project crypto. It signs
 * AUTH over bytes it assembles itself, which cross-checks the relay's
 * `authSigningInput`.
 */
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import WebSocket from "ws";

export interface Identity {
  device: string;
  privateKey: KeyObject;
}

export function newIdentity(): Identity {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  return { device: jwk.x!, privateKey };
}

export function signChallenge(identity: Identity, challenge: string, relay: string): string {
  const input = Buffer.concat([
    Buffer.from("nlink-auth-v1\0", "utf8"),
    Buffer.from(challenge, "base64url"),
    Buffer.from(relay, "utf8"),
  ]);
  return sign(null, input, identity.privateKey).toString("base64url");
}

/** `binary` marks a FRAME that arrived as a binary message (docs/protocol.md section 5, "Binary frames"). */
export type Message = { op: number; d: unknown; s?: number; t?: string; binary?: true };

export class GatewayClient {
  readonly received: Message[] = [];
  private waiters: Array<() => void> = [];
  hello!: { v: number; heartbeat_interval: number; challenge: string; relay: string; limits?: unknown };
  readonly closed: Promise<{ code: number; reason: string }>;
  lastS: number | null = null;

  private constructor(
    readonly ws: WebSocket,
    readonly identity: Identity,
  ) {
    this.closed = new Promise((resolve) =>
      ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    ws.on("message", (data, isBinary) => {
      const message = isBinary ? binaryFrameMessage(data as Buffer) : (JSON.parse(data.toString()) as Message);
      if (typeof message.s === "number") this.lastS = message.s;
      this.received.push(message);
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on("close", () => {
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on("error", () => undefined);
  }

  /** Connects and waits for HELLO. */
  static async connect(url: string, identity: Identity = newIdentity()): Promise<GatewayClient> {
    const ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 });
    const client = new GatewayClient(ws, identity);
    const hello = await client.next((m) => m.op === 4);
    client.hello = hello.d as GatewayClient["hello"];
    return client;
  }

  get device(): string {
    return this.identity.device;
  }

  send(message: { op: number; d: unknown }): void {
    this.ws.send(JSON.stringify(message));
  }

  sendText(text: string): void {
    this.ws.send(text);
  }

  sendBinary(bytes: Uint8Array): void {
    this.ws.send(bytes, { binary: true });
  }

  /** Waits for (and removes) the first received message matching `match`. */
  async next(match: (m: Message) => boolean = () => true, timeoutMs = 5000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.received.findIndex(match);
      if (i >= 0) return this.received.splice(i, 1)[0]!;
      if (this.ws.readyState === WebSocket.CLOSED)
        throw new Error(`closed while waiting; have ${JSON.stringify(this.received.map((m) => [m.op, m.t]))}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting; have ${JSON.stringify(this.received.map((m) => [m.op, m.t]))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  event(t: string, timeoutMs?: number): Promise<Message> {
    return this.next((m) => m.op === 0 && m.t === t, timeoutMs);
  }

  /** Sends AUTH (fresh unless `resume`) and returns the READY or RESUMED event. */
  async auth(extra: Record<string, unknown> = {}): Promise<Message> {
    this.send({
      op: 2,
      d: { device: this.device, sig: signChallenge(this.identity, this.hello.challenge, this.hello.relay), ...extra },
    });
    return this.next((m) => m.op === 9 || (m.op === 0 && (m.t === "READY" || m.t === "RESUMED")));
  }

  /** Sends an op with a ref and returns its REPLY. */
  async request(op: number, d: Record<string, unknown>): Promise<Record<string, unknown>> {
    const ref = `r${Math.random().toString(36).slice(2)}`;
    this.send({ op, d: { ...d, ref } });
    const reply = await this.next((m) => m.op === 0 && m.t === "REPLY" && (m.d as { ref?: string }).ref === ref);
    return reply.d as Record<string, unknown>;
  }

  close(): void {
    this.ws.close();
  }
}

/** A binary FRAME as the JSON FRAME event it stands for, marked `binary`; anything else as op -1. */
function binaryFrameMessage(data: Buffer): Message {
  // Read from the header table by hand, not with shared's decoder: this cross-checks the relay's encoder.
  if (data.length < 66 || data[0] !== 0 || (data[1]! & 0xfe) !== 0) return { op: -1, d: data.toString("hex") };
  const u64 = (at: number) => data.readUInt32BE(at) * 2 ** 32 + data.readUInt32BE(at + 4);
  const d = {
    id: data.toString("base64url", 18, 34),
    from: data.toString("base64url", 34, 66),
    body: data.toString("base64url", 66),
    qos: data[1],
    ts: u64(10),
  };
  return { op: 0, t: "FRAME", s: u64(2), d, binary: true };
}

/** A binary SEND, written from the header table: 0x05, flags (qos), id, to, ref length, ref, envelope. */
export function binarySend(f: { id: string; to: string; qos: 0 | 1; ref?: string; envelope: Buffer }): Buffer {
  const ref = Buffer.from(f.ref ?? "", "utf8");
  return Buffer.concat([
    Buffer.from([5, f.qos]),
    Buffer.from(f.id, "base64url"),
    Buffer.from(f.to, "base64url"),
    Buffer.from([ref.length]),
    ref,
    f.envelope,
  ]);
}

/** A fresh random frame id (16 bytes, base64url). */
export function frameId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url");
}

export function body(bytes: number): string {
  return Buffer.alloc(bytes, 7).toString("base64url");
}
