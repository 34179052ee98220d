/**
 * The benchmark's baseline: a bare `ws` forwarder that does the least a
 * relay must (parse the JSON, look up `to`, re-serialise a FRAME) and none
 * of the rest (no signature, validation, limits, grants, resume or storage).
 * Its wire format matches the gateway's so that one client drives both:
 * JSON text, and binary SEND/FRAME (docs/protocol.md section 5, "Binary
 * frames"), where it checks the header's length and op, looks up `to` and
 * writes the FRAME header before the same envelope bytes, as the relay must.
 */
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

interface Peer {
  device: string | null;
  /** The device id as raw bytes, for binary FRAME headers. */
  raw: Buffer | null;
  s: number;
}

/** Binary SEND header: op, flags, id (16), to (32), ref length; FRAME header: op, flags, s, ts, id, from (66). */
const SEND_HEADER = 51;
const FRAME_HEADER = 66;

function forwardBinary(
  data: Buffer,
  me: Peer,
  ws: WebSocket,
  byDevice: Map<string, WebSocket>,
  peers: WeakMap<WebSocket, Peer>,
): void {
  // The least a correct forwarder checks before reading the header: a short or foreign message is closed, not misread.
  const refLength = data.length < SEND_HEADER ? 0 : data[SEND_HEADER - 1]!;
  const start = SEND_HEADER + refLength;
  if (data[0] !== 5 || data.length < start) return ws.close(4002, "bad binary SEND");
  const to = byDevice.get(data.toString("base64url", 18, 50));
  const target = to === undefined ? undefined : peers.get(to);
  if (to !== undefined && target !== undefined && me.raw !== null) {
    const out = Buffer.allocUnsafe(FRAME_HEADER + data.length - start);
    const s = ++target.s;
    out[0] = 0;
    out[1] = data[1]!;
    out.writeUInt32BE(Math.floor(s / 2 ** 32), 2);
    out.writeUInt32BE(s >>> 0, 6);
    const ts = Date.now();
    out.writeUInt32BE(Math.floor(ts / 2 ** 32), 10);
    out.writeUInt32BE(ts >>> 0, 14);
    data.copy(out, 18, 2, 18);
    me.raw.copy(out, 34);
    data.copy(out, FRAME_HEADER, start);
    to.send(out);
  }
  if (refLength > 0)
    ws.send(
      JSON.stringify({
        op: 0,
        t: "REPLY",
        s: ++me.s,
        d: { ref: data.toString("utf8", SEND_HEADER, start), ok: true, status: "sent" },
      }),
    );
}

export async function startBareForwarder(): Promise<{ port: number; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const byDevice = new Map<string, WebSocket>();
  const peers = new WeakMap<WebSocket, Peer>();
  wss.on("connection", (ws) => {
    const me: Peer = { device: null, raw: null, s: 0 };
    peers.set(ws, me);
    ws.on("error", () => undefined);
    ws.on("close", () => {
      if (me.device !== null && byDevice.get(me.device) === ws) byDevice.delete(me.device);
    });
    ws.on("message", (data: Buffer, isBinary) => {
      if (isBinary) return forwardBinary(data, me, ws, byDevice, peers);
      const m = JSON.parse(data.toString()) as { op: number; d: Record<string, unknown> };
      if (m.op === 2) {
        me.device = String(m.d.device);
        me.raw = Buffer.from(me.device, "base64url");
        byDevice.set(me.device, ws);
        ws.send(JSON.stringify({ op: 0, t: "READY", s: ++me.s, d: {} }));
      } else if (m.op === 5) {
        const to = byDevice.get(String(m.d.to));
        const target = to === undefined ? undefined : peers.get(to);
        if (to !== undefined && target !== undefined) {
          to.send(
            JSON.stringify({
              op: 0,
              t: "FRAME",
              s: ++target.s,
              d: { id: m.d.id, from: me.device, body: m.d.body, qos: m.d.qos, ts: Date.now() },
            }),
          );
        }
        if (typeof m.d.ref === "string")
          ws.send(JSON.stringify({ op: 0, t: "REPLY", s: ++me.s, d: { ref: m.d.ref, ok: true, status: "sent" } }));
      } else if (m.op === 99) {
        ws.send(JSON.stringify({ op: 99, d: process.memoryUsage() }));
      }
    });
  });
  return {
    port: (wss.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}
