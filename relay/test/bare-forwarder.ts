/**
 * The benchmark's baseline: a bare `ws` forwarder that does the least a
 * relay must (parse the JSON, look up `to`, re-serialise a FRAME) and none
 * of the rest (no signature, validation, limits, grants, resume or storage).
 * Its wire format matches the gateway's so that one client drives both.
 */
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

interface Peer {
  device: string | null;
  s: number;
}

export async function startBareForwarder(): Promise<{ port: number; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const byDevice = new Map<string, WebSocket>();
  const peers = new WeakMap<WebSocket, Peer>();
  wss.on("connection", (ws) => {
    const me: Peer = { device: null, s: 0 };
    peers.set(ws, me);
    ws.on("error", () => undefined);
    ws.on("close", () => {
      if (me.device !== null && byDevice.get(me.device) === ws) byDevice.delete(me.device);
    });
    ws.on("message", (data) => {
      const m = JSON.parse(data.toString()) as { op: number; d: Record<string, unknown> };
      if (m.op === 2) {
        me.device = String(m.d.device);
        byDevice.set(me.device, ws);
        ws.send(JSON.stringify({ op: 0, t: "READY", s: ++me.s, d: {} }));
      } else if (m.op === 5) {
        const to = byDevice.get(String(m.d.to));
        const target = to === undefined ? undefined : peers.get(to);
        if (to !== undefined && target !== undefined) {
          to.send(JSON.stringify({ op: 0, t: "FRAME", s: ++target.s, d: { id: m.d.id, from: me.device, body: m.d.body, qos: m.d.qos, ts: Date.now() } }));
        }
        if (typeof m.d.ref === "string") ws.send(JSON.stringify({ op: 0, t: "REPLY", s: ++me.s, d: { ref: m.d.ref, ok: true, status: "sent" } }));
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
