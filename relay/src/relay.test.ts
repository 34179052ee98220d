import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RelayConfigError } from "./errors";
import { startRelay } from "./relay";
import { body, frameId, GatewayClient } from "../test/gateway-client";
import { dropSchema, randomSchema, silentLogger, startTestRelay, TEST_DATABASE_URL } from "../test/test-databases";

describe("startRelay", () => {
  const schema = randomSchema();
  afterAll(() => dropSchema(schema));

  it("keeps stored frames and grants across a restart", async () => {
    const first = await startTestRelay({ dbSchema: schema });
    const a = await GatewayClient.connect(first.relay.url);
    const b = await GatewayClient.connect(first.relay.url);
    await a.auth();
    await b.auth();
    await b.request(8, { peer: a.device });
    b.close();
    await b.closed;
    const ids = [frameId(), frameId()];
    for (const id of ids)
      expect(await a.request(5, { id, to: b.device, body: body(20), qos: 1 })).toMatchObject({ status: "stored" });
    await first.relay.close();

    const second = await startRelay({
      port: 0,
      db: TEST_DATABASE_URL,
      dbSchema: schema,
      logger: silentLogger,
      appDir: null,
      relayId: "test-relay",
    });
    expect(second.metricsText()).toMatch(/nlink_relay_stored_frames 2/);
    const b2 = await GatewayClient.connect(second.url, b.identity);
    await b2.auth();
    expect([(await b2.event("FRAME")).d, (await b2.event("FRAME")).d]).toMatchObject(
      ids.map((id) => ({ id, from: a.device })),
    );
    const a2 = await GatewayClient.connect(second.url, a.identity);
    await a2.auth();
    expect(await a2.request(5, { id: frameId(), to: b.device, body: body(4), qos: 0 })).toMatchObject({
      ok: true,
      status: "sent",
    });
    await second.close();
  });

  it("drain sends RECONNECT (op 7) to every client and closes them", async () => {
    const { relay, schema: s } = await startTestRelay();
    const clients = await Promise.all([0, 1, 2].map(() => GatewayClient.connect(relay.url)));
    await clients[0]!.auth();
    await relay.drain();
    for (const c of clients) {
      expect((await c.next((m) => m.op === 7)).d).toBeNull();
      expect((await c.closed).code).toBe(1001);
    }
    await dropSchema(s);
  });

  it("refuses protocol limits above the defaults and unusable ports", async () => {
    await expect(
      startRelay({ limits: { maxMessageBytes: 2 * 1024 * 1024 }, logger: silentLogger }),
    ).rejects.toBeInstanceOf(RelayConfigError);
    await expect(
      startRelay({ port: 70000, db: TEST_DATABASE_URL, dbSchema: randomSchema(), logger: silentLogger }),
    ).rejects.toBeInstanceOf(RelayConfigError);
  });

  it("serves the phone app at /app/ with content types, a strict CSP and client-side routes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nlink-app-"));
    mkdirSync(join(dir, "assets"));
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>app</title>");
    writeFileSync(join(dir, "assets", "main.js"), "console.log(1)");
    writeFileSync(join(dir, "manifest.webmanifest"), "{}");
    const { relay, stop } = await startTestRelay({ appDir: dir });
    const base = relay.url.replace("ws://", "http://").replace("/v1/gateway", "");
    const index = await fetch(`${base}/app/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toContain("text/html");
    const csp = index.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect((await fetch(`${base}/app/assets/main.js`)).headers.get("content-type")).toContain("javascript");
    expect((await fetch(`${base}/app/manifest.webmanifest`)).headers.get("content-type")).toContain(
      "application/manifest+json",
    );
    expect(await (await fetch(`${base}/app/pair`)).text()).toContain("<title>app</title>");
    expect((await fetch(`${base}/app/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/app/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });
});
