import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startEmbeddedRelay, type EmbeddedRelay } from "../embedded-relay";
import { HubNode } from "../hub-node";
import { BridgeClose, type BridgeServerMessage } from "../api";
import { BRIDGE_PATH, startBridgeServer, type BridgeServer } from "./bridge-server";

let server: BridgeServer;
let dir: string;
let relay: EmbeddedRelay;
let hub: HubNode;
let logText = "";

// The real hub core behind the bridge (not set up yet: no name), with a real relay on loopback for its setup.
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nl-bridge-hub-"));
  const quiet = pino({ level: "silent" });
  relay = await startEmbeddedRelay({ dataDir: dir, host: "127.0.0.1", port: 0, db: "memory", log: quiet });
  hub = await HubNode.start({
    dataDir: join(dir, "hub"),
    approvals: "desktop",
    log: quiet,
    executor: { defaultCwd: dir },
  });
}, 60_000);
afterAll(async () => {
  await hub?.stop();
  await relay?.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  const root = mkdtempSync(join(tmpdir(), "nl-bridge-"));
  writeFileSync(join(root, "index.html"), "<!doctype html><title>hub</title>");
  mkdirSync(join(root, "assets"));
  writeFileSync(join(root, "assets", "app.js"), "export {}");
  logText = "";
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logText += String(chunk);
      cb();
    },
  });
  server = await startBridgeServer({ api: hub, webRoot: root, log: pino({ level: "debug" }, sink) });
});
afterEach(async () => {
  await server.close();
});

function connect(origin = server.origin): WebSocket {
  return new WebSocket(`ws://127.0.0.1:${server.port}${BRIDGE_PATH}`, { headers: { Origin: origin } });
}
function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((r) => ws.on("close", (code, reason) => r({ code, reason: reason.toString() })));
}
function nextMessage(
  ws: WebSocket,
  pred: (m: BridgeServerMessage) => boolean = () => true,
): Promise<BridgeServerMessage> {
  return new Promise((r) => {
    const on = (data: WebSocket.RawData): void => {
      const m = JSON.parse(String(data)) as BridgeServerMessage;
      if (pred(m)) {
        ws.off("message", on);
        r(m);
      }
    };
    ws.on("message", on);
  });
}
async function authed(): Promise<WebSocket> {
  const ws = connect();
  await new Promise((r) => ws.once("open", r));
  const ready = nextMessage(ws);
  ws.send(JSON.stringify({ type: "auth", token: server.token }));
  expect(await ready).toEqual({ type: "ready" });
  return ws;
}

describe("web-mode bridge", () => {
  it("prints a loopback URL whose fragment carries the token", () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("closes a socket that sends a wrong token with BAD_TOKEN", async () => {
    const ws = connect();
    await new Promise((r) => ws.once("open", r));
    ws.send(JSON.stringify({ type: "auth", token: "not-the-token" }));
    expect(await closed(ws)).toEqual({ code: BridgeClose.BAD_TOKEN, reason: "bad session token" });
  });

  it("refuses the handshake from a foreign Origin", async () => {
    const ws = connect("http://evil.example");
    const status = await new Promise<number>((r) =>
      ws.on("unexpected-response", (_req, res) => r(res.statusCode ?? 0)),
    );
    expect(status).toBe(403);
    ws.on("error", () => undefined);
  });

  it("refuses a call before auth and a silent socket after the timeout", async () => {
    const ws = connect();
    await new Promise((r) => ws.once("open", r));
    ws.send(JSON.stringify({ type: "call", id: 1, method: "getStatus" }));
    expect((await closed(ws)).code).toBe(BridgeClose.PROTOCOL_ERROR);
  });

  it("answers calls, validates params and refuses unknown methods", async () => {
    const ws = await authed();
    const call = (id: number, method: string, params?: unknown): Promise<BridgeServerMessage> => {
      const reply = nextMessage(ws, (m) => m.type === "reply" && m.id === id);
      ws.send(JSON.stringify({ type: "call", id, method, params }));
      return reply;
    };
    expect(await call(1, "getStatus")).toMatchObject({ type: "reply", id: 1, ok: true, result: { setupDone: false } });
    expect(await call(2, "constructor")).toMatchObject({ ok: false, code: "unknown_method" });
    expect(await call(3, "on", {})).toMatchObject({ ok: false, code: "unknown_method" });
    expect(await call(4, "setup", { name: "", relay: { mode: "embedded" } })).toMatchObject({
      ok: false,
      code: "bad_params",
    });
    expect(await call(5, "setup", { name: "Desk", relay: { mode: "url", url: "http://x" } })).toMatchObject({
      ok: false,
      code: "bad_params",
    });
    expect(await call(6, "getTask", { task: "t404" })).toMatchObject({ ok: false, code: "not_found" });
    const ev = nextMessage(ws, (m) => m.type === "event" && m.event === "status");
    expect(await call(7, "setup", { name: "Desk", relay: { mode: "url", url: relay.localUrl } })).toMatchObject({
      ok: true,
    });
    expect(await ev).toMatchObject({ type: "event", event: "status", payload: { setupDone: true, name: "Desk" } });
    ws.close();
  });

  it("closes on non-JSON without disturbing other sockets", async () => {
    const good = await authed();
    const bad = await authed();
    bad.send("{not json");
    expect((await closed(bad)).code).toBe(BridgeClose.PROTOCOL_ERROR);
    const reply = nextMessage(good, (m) => m.type === "reply");
    good.send(JSON.stringify({ type: "call", id: 9, method: "listDevices" }));
    expect(await reply).toMatchObject({ ok: true, result: [] });
    good.close();
  });

  it("serves the UI with a CSP, refuses a foreign Host, and cannot be walked out of its root", async () => {
    const res = await fetch(`${server.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect((await fetch(`${server.origin}/assets/app.js`)).headers.get("content-type")).toContain("javascript");
    const escape = await fetch(`${server.origin}/%2e%2e/%2e%2e/etc/passwd`);
    expect(await escape.text()).not.toContain("root:");
    // fetch may not set Host, so use node:http for the DNS-rebinding case.
    const rebound = await new Promise<number>((r) =>
      request({ host: "127.0.0.1", port: server.port, path: "/", headers: { Host: "attacker.example" } }, (res) => {
        res.resume();
        r(res.statusCode ?? 0);
      }).end(),
    );
    expect(rebound).toBe(421);
  });

  it("never writes the token to its log", async () => {
    const ws = await authed();
    ws.close();
    const bad = connect();
    await new Promise((r) => bad.once("open", r));
    bad.send(JSON.stringify({ type: "auth", token: `${server.token}x` }));
    await closed(bad);
    expect(logText).toContain("wrong session token");
    expect(logText).not.toContain(server.token);
  });
});
