import { createServer, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { wsSocketFactory } from "./ws-socket";

/** Opens a socket through the factory and resolves with the close reason it reports. */
function closeReason(url: string): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    wsSocketFactory(url, {
      open: () => {},
      message: () => {},
      error: () => {},
      close: (code, reason) => resolve({ code, reason }),
    });
  });
}

const listen = (s: Server) =>
  new Promise<number>((r) => s.listen(0, "127.0.0.1", () => r((s.address() as AddressInfo).port)));

describe("wsSocketFactory says why a connection failed", () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  it("refused: nothing listens on the port", async () => {
    const probe = createNetServer();
    const port = await new Promise<number>((r) =>
      probe.listen(0, "127.0.0.1", () => r((probe.address() as AddressInfo).port)),
    );
    await new Promise<void>((r) => probe.close(() => r()));
    expect((await closeReason(`ws://127.0.0.1:${port}/v1/gateway`)).reason).toMatch(/^refused/);
  });

  it("an HTTP redirect instead of an upgrade: is this the gateway path?", async () => {
    const s = createServer((_req, res) => res.writeHead(302, { location: "/login" }).end());
    servers.push(s);
    const port = await listen(s);
    const { reason } = await closeReason(`ws://127.0.0.1:${port}/`);
    expect(reason).toContain("HTTP 302");
    expect(reason).toContain("is this the gateway path?");
  });

  it("a 404: names the gateway path", async () => {
    const s = createServer((_req, res) => res.writeHead(404).end());
    servers.push(s);
    const port = await listen(s);
    expect((await closeReason(`ws://127.0.0.1:${port}/nope`)).reason).toContain("/v1/gateway");
  });

  it("TLS error: wss:// to a plain HTTP server", async () => {
    const s = createServer((_req, res) => res.end("plain"));
    servers.push(s);
    const port = await listen(s);
    expect((await closeReason(`wss://127.0.0.1:${port}/v1/gateway`)).reason).toMatch(/^TLS error/);
  });

  it("DNS: a name that cannot resolve", async () => {
    expect((await closeReason("ws://no-such-host.invalid:8787/v1/gateway")).reason).toMatch(/^DNS/);
  }, 20_000);
});

describe("wsSocketFactory passes messages on", () => {
  it("text to handlers.message, binary to handlers.binary (binary FRAMEs, docs/protocol.md section 5)", async () => {
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await new Promise<void>((r) => wss.once("listening", () => r()));
    wss.on("connection", (ws) => {
      ws.send("text");
      ws.send(Buffer.from([0, 1, 2, 255]));
      ws.on("message", (data, isBinary) => ws.send(data as Buffer, { binary: isBinary }));
    });
    const texts: string[] = [];
    const bytes: number[][] = [];
    const socket = wsSocketFactory(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`, {
      open: () => socket.send(new Uint8Array([9, 8])),
      message: (t) => texts.push(t),
      binary: (b) => bytes.push([...b]),
      error: () => {},
      close: () => {},
    });
    for (let i = 0; i < 200 && bytes.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    socket.close(1000, "done");
    await new Promise<void>((r) => wss.close(() => r()));
    expect(texts).toEqual(["text"]);
    // The server's binary message, then our binary write echoed back as binary.
    expect(bytes).toEqual([
      [0, 1, 2, 255],
      [9, 8],
    ]);
  });
});
