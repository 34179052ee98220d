import { describe, expect, it } from "vitest";
import { RelayConfigError } from "./errors";
import { DEFAULT_LIMITS, raisedLimits, resolveSettings } from "./settings";

describe("resolveSettings", () => {
  it("uses the protocol defaults", () => {
    const s = resolveSettings({ relayId: "r" });
    expect(s.limits).toEqual(DEFAULT_LIMITS);
    expect(s.heartbeatMs).toBe(30_000);
    expect(s.authTimeoutMs).toBe(10_000);
    expect(s.resumeTtlS).toBe(60);
    expect(s.limits.queueMaxFrames).toBe(10_000);
    expect(s.limits.queueMaxBytes).toBe(64 * 1024 * 1024);
  });

  it("accepts lower protocol limits and refuses higher ones", () => {
    expect(resolveSettings({ limits: { opsPerSecond: 10 } }).limits.opsPerSecond).toBe(10);
    expect(() => resolveSettings({ limits: { opsPerSecond: 201 } })).toThrow(RelayConfigError);
    expect(() => resolveSettings({ limits: { maxBodyBytes: 512 * 1024 + 1 } })).toThrow(RelayConfigError);
    // Only when asked for explicitly (benchmarks), and then reported.
    const raised = resolveSettings({ limits: { opsPerSecond: 1e6 }, exceedProtocolLimits: true }).limits;
    expect(raisedLimits(raised)).toEqual(["opsPerSecond"]);
  });

  it("refuses values that are not positive integers", () => {
    expect(() => resolveSettings({ heartbeatMs: 0 })).toThrow(RelayConfigError);
    expect(() => resolveSettings({ limits: { queueMaxFrames: 1.5 } })).toThrow(RelayConfigError);
    expect(() => resolveSettings({ relayId: "" })).toThrow(RelayConfigError);
  });
});
