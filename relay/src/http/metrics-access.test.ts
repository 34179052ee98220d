import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RelayHandle } from "../relay";
import { startTestRelay } from "../../test/test-databases";
import { metricsAllowed } from "./metrics-access";

const request = (remoteAddress: string | undefined, headers: Record<string, string> = {}) => ({
  remoteAddress,
  header: (name: string) => headers[name],
});

describe("metricsAllowed", () => {
  it("lets loopback clients in, IPv4, IPv6 and mapped", () => {
    for (const address of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"])
      expect(metricsAllowed(request(address), null)).toBe(true);
  });

  it("refuses other clients without the token, and proxied requests even from loopback", () => {
    for (const address of ["10.0.0.5", "192.0.2.7", "::ffff:10.0.0.5", "fd00::2", undefined])
      expect(metricsAllowed(request(address), null)).toBe(false);
    expect(metricsAllowed(request("127.0.0.1", { "x-forwarded-for": "203.0.113.9" }), null)).toBe(false);
    expect(metricsAllowed(request("127.0.0.1", { forwarded: "for=203.0.113.9" }), null)).toBe(false);
  });

  it("lets anyone in with the right bearer token, and no one with a wrong one", () => {
    expect(metricsAllowed(request("10.0.0.5", { authorization: "Bearer s3cret" }), "s3cret")).toBe(true);
    expect(metricsAllowed(request("10.0.0.5", { authorization: "Bearer s3cre" }), "s3cret")).toBe(false);
    expect(metricsAllowed(request("10.0.0.5", { authorization: "s3cret" }), "s3cret")).toBe(false);
    expect(metricsAllowed(request("10.0.0.5", {}), "s3cret")).toBe(false);
    expect(
      metricsAllowed(
        request("127.0.0.1", { "x-forwarded-for": "203.0.113.9", authorization: "Bearer s3cret" }),
        "s3cret",
      ),
    ).toBe(true);
  });
});

describe("GET /metrics over a real socket", () => {
  let relay: RelayHandle;
  let stop: () => Promise<void>;
  let base: string;
  beforeAll(async () => {
    ({ relay, stop } = await startTestRelay({ metricsToken: "t0ken" }));
    base = relay.url.replace("ws://", "http://").replace("/v1/gateway", "");
  });
  afterAll(() => stop());

  it("answers a loopback scraper, 403 to a proxied request without the token, 200 with it", async () => {
    const direct = await fetch(`${base}/metrics`);
    expect(direct.status).toBe(200);
    expect(await direct.text()).toContain("nlink_relay_connections");
    const proxied = await fetch(`${base}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(proxied.status).toBe(403);
    expect(await proxied.text()).not.toContain("nlink_relay");
    const wrong = await fetch(`${base}/metrics`, {
      headers: { "x-forwarded-for": "203.0.113.9", authorization: "Bearer nope" },
    });
    expect(wrong.status).toBe(403);
    const withToken = await fetch(`${base}/metrics`, {
      headers: { "x-forwarded-for": "203.0.113.9", authorization: "Bearer t0ken" },
    });
    expect(withToken.status).toBe(200);
    expect((await fetch(`${base}/healthz`, { headers: { "x-forwarded-for": "203.0.113.9" } })).status).toBe(200);
  });
});
