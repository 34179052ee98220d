/**
 * Devices for fault scenarios, on the relay's own minimal test client
 * (relay/test/gateway-client.ts, written from the protocol page alone),
 * plus what a receiving peer checks: every frame by id, duplicates counted,
 * per-sender order of first deliveries (docs/protocol.md section 5).
 */
import WebSocket from "ws";
import { GatewayClient, type Identity, type Message, newIdentity } from "../../relay/test/gateway-client";

export { GatewayClient, newIdentity, type Identity, type Message };

const sessions = new WeakMap<GatewayClient, string>();

/** The session id READY gave a device connected by `online`. */
export function sessionOf(client: GatewayClient): string {
  const id = sessions.get(client);
  if (id === undefined) throw new Error("not connected by online()");
  return id;
}

/** Connects and AUTHs a device (fresh session). */
export async function online(url: string, identity: Identity = newIdentity()): Promise<GatewayClient> {
  const client = await GatewayClient.connect(url, identity);
  const ready = await client.auth();
  if (ready.t !== "READY") throw new Error(`AUTH answered ${JSON.stringify(ready)}`);
  sessions.set(client, (ready.d as { session: string }).session);
  return client;
}

/** Two devices that granted each other. */
export async function mutualPair(url: string): Promise<[GatewayClient, GatewayClient]> {
  const a = await online(url);
  const b = await online(url);
  await a.request(8, { peer: b.device });
  await b.request(8, { peer: a.device });
  return [a, b];
}

/** A frame body carrying a sequence number, so a receiver can check order. */
export function seqBody(seq: number, pad = 16): string {
  return Buffer.from(`${seq}:${"x".repeat(pad)}`).toString("base64url");
}

export function seqOf(body: string): number {
  return Number(Buffer.from(body, "base64url").toString().split(":")[0]);
}

/**
 * What a receiver saw: the first delivery of each frame id, duplicates, and
 * order violations among first deliveries of one sender.
 */
export class FrameLedger {
  readonly firstSeen = new Map<string, number>();
  duplicates = 0;
  orderViolations = 0;
  private readonly lastSeqBySender = new Map<string, number>();

  /** Records one FRAME; returns true the first time its id is seen. */
  record(frame: { id: string; from: string; body: string }): boolean {
    if (this.firstSeen.has(frame.id)) {
      this.duplicates += 1;
      return false;
    }
    const seq = seqOf(frame.body);
    this.firstSeen.set(frame.id, seq);
    const last = this.lastSeqBySender.get(frame.from) ?? -1;
    if (seq <= last) this.orderViolations += 1;
    else this.lastSeqBySender.set(frame.from, seq);
    return true;
  }

  get unique(): number {
    return this.firstSeen.size;
  }
}

/**
 * Consumes FRAME events of `client` into `ledger` as they arrive (and ACKs
 * qos 1 ones in batches, as a real client does). Returns a stop function.
 */
export function collectFrames(client: GatewayClient, ledger: FrameLedger, opts: { ack?: boolean } = {}): () => void {
  const ack = opts.ack ?? true;
  let pendingAcks: string[] = [];
  const flush = () => {
    if (pendingAcks.length === 0 || client.ws.readyState !== WebSocket.OPEN) return;
    for (let i = 0; i < pendingAcks.length; i += 1000)
      client.send({ op: 6, d: { ids: pendingAcks.slice(i, i + 1000) } });
    pendingAcks = [];
  };
  const timer = setInterval(flush, 50);
  const onMessage = (data: WebSocket.RawData) => {
    const m = JSON.parse(data.toString()) as Message;
    if (m.op !== 0 || m.t !== "FRAME") return;
    const d = m.d as { id: string; from: string; body: string; qos: number };
    ledger.record(d);
    if (ack && d.qos === 1) pendingAcks.push(d.id);
  };
  client.ws.on("message", onMessage);
  return () => {
    flush();
    clearInterval(timer);
    client.ws.off("message", onMessage);
  };
}

/** Percentile of a list of numbers (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Waits until `check()` is true, polling; throws with `what` after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 30_000, pollMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Sends HEARTBEATs every `intervalMs` while the socket is open (for relays with short heartbeat settings). */
export function keepAlive(client: GatewayClient, intervalMs: number): () => void {
  const timer = setInterval(() => {
    if (client.ws.readyState === WebSocket.OPEN) client.send({ op: 1, d: client.lastS });
  }, intervalMs);
  return () => clearInterval(timer);
}
