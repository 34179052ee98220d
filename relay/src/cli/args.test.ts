import { describe, expect, it } from "vitest";
import { RelayConfigError } from "../errors";
import { DEFAULT_LIMITS } from "../settings";
import { ALL_OPTIONS, helpText, parseCli } from "./args";

describe("parseCli", () => {
  it("has defaults for a personal relay", () => {
    const c = parseCli([], {});
    expect(c.options).toMatchObject({ port: 8787, host: "0.0.0.0", db: ".data/relay", limits: {} });
    expect(c.help).toBe(false);
  });

  it("reads flags, env vars and DATABASE_URL, flags winning", () => {
    const env = {
      NLINK_RELAY_PORT: "9000",
      NLINK_RELAY_HEARTBEAT_MS: "5000",
      DATABASE_URL: "postgres://x@h/db",
      NLINK_RELAY_QUEUE_MAX_FRAMES: "10",
    };
    const c = parseCli(["--port", "9100", "--relay-id", "r1", "--app-dir", ""], env);
    expect(c.options).toMatchObject({
      port: 9100,
      heartbeatMs: 5000,
      db: "postgres://x@h/db",
      relayId: "r1",
      appDir: null,
      limits: { queueMaxFrames: 10 },
    });
    expect(parseCli(["--db", "memory"], env).options.db).toBe("memory");
  });

  it("reads the metrics token from METRICS_TOKEN or --metrics-token; none by default", () => {
    expect(parseCli([], {}).options.metricsToken).toBeUndefined();
    expect(parseCli([], { METRICS_TOKEN: "abc" }).options.metricsToken).toBe("abc");
    expect(parseCli(["--metrics-token", "def"], { METRICS_TOKEN: "abc" }).options.metricsToken).toBe("def");
  });

  it("turns cluster mode on only with --bus (or NLINK_RELAY_BUS), with its settings", () => {
    expect(parseCli([], {}).options.cluster).toBeUndefined();
    const c = parseCli(["--bus", "nats://b:4222", "--node-name", "relay1", "--cluster-heartbeat-ms", "250"], {
      NLINK_RELAY_CLUSTER_PREFIX: "eu",
    });
    expect(c.options.cluster).toEqual({
      bus: "nats://b:4222",
      nodeName: "relay1",
      subjectPrefix: "eu",
      heartbeatMs: 250,
    });
    expect(parseCli([], { NLINK_RELAY_BUS: "nats://c:4222" }).options.cluster).toEqual({ bus: "nats://c:4222" });
    expect(() => parseCli(["--bus", "nats://b", "--cluster-node-timeout-ms", "soon"], {})).toThrow(RelayConfigError);
  });

  it("refuses unknown flags and bad numbers", () => {
    expect(() => parseCli(["--nope"], {})).toThrow(RelayConfigError);
    expect(() => parseCli(["--port", "abc"], {})).toThrow(RelayConfigError);
    expect(() => parseCli([], { NLINK_RELAY_LOG_LEVEL: "loud" })).toThrow(RelayConfigError);
  });

  it("documents every option and limit in --help", () => {
    const text = helpText();
    for (const o of Object.values(ALL_OPTIONS)) {
      expect(text).toContain(`--${o.flag}`);
      expect(text).toContain(o.env);
    }
    expect(Object.keys(ALL_OPTIONS)).toEqual(expect.arrayContaining(Object.keys(DEFAULT_LIMITS)));
  });
});
