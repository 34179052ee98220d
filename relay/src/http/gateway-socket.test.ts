import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startTestRelay } from "../../test/test-databases";
import type { RelayHandle } from "../relay";

let relay: RelayHandle;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ relay, stop } = await startTestRelay());
});
afterAll(() => stop());

const base = () => `127.0.0.1:${relay.port}`;

/** The close code of a WebSocket to `path`, or the HTTP status that refused the upgrade. */
function outcome(path: string): Promise<{ close?: number; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://${base()}${path}`);
    ws.on("unexpected-response", (_req, res) => resolve({ status: res.statusCode }));
    ws.on("close", (code) => resolve({ close: code }));
    ws.on("error", () => undefined);
  });
}

describe("the gateway socket beside Hono (served by ws off the upgrade)", () => {
  it("serves /v1/gateway: HELLO first", async () => {
    const ws = new WebSocket(`ws://${base()}/v1/gateway`);
    const first = await new Promise<string>((resolve) => ws.once("message", (d) => resolve(d.toString())));
    expect(JSON.parse(first)).toMatchObject({ op: 4, d: { v: 1 } });
    ws.close();
  });

  it("upgrades another version's gateway and closes it 4012", async () => {
    expect(await outcome("/v2/gateway")).toEqual({ close: 4012 });
    expect(await outcome("/v1/gateway/x")).toEqual({ status: 404 });
  });

  it("answers an upgrade to a path that is no gateway with the HTTP app's status, and plain GETs as before", async () => {
    expect(await outcome("/nope")).toEqual({ status: 404 });
    expect((await fetch(`http://${base()}/v1/gateway`)).status).toBe(426);
    expect(await (await fetch(`http://${base()}/healthz`)).json()).toEqual({ ok: true });
  });
});
