import { describe, expect, it } from "vitest";
import { RelayConfigError } from "../errors";
import { startRelay } from "../relay";
import { DEFAULT_CLUSTER, resolveClusterSettings } from "./cluster-settings";

describe("cluster settings", () => {
  it("fills the defaults and checks each value", () => {
    expect(resolveClusterSettings({ bus: "nats://127.0.0.1:4222", nodeName: "a" })).toEqual({
      ...DEFAULT_CLUSTER,
      bus: "nats://127.0.0.1:4222",
      nodeName: "a",
    });
    expect(() => resolveClusterSettings({ bus: "redis://x" })).toThrow(RelayConfigError);
    expect(() => resolveClusterSettings({ bus: "nats://x", nodeName: "a.b" })).toThrow(/node name/);
    expect(() => resolveClusterSettings({ bus: "nats://x", subjectPrefix: "a>" })).toThrow(/prefix/);
    expect(() => resolveClusterSettings({ bus: "nats://x", heartbeatMs: 1000, nodeTimeoutMs: 1500 })).toThrow(
      /two heartbeats/,
    );
    expect(() => resolveClusterSettings({ bus: "nats://x", confirmTimeoutMs: 0 })).toThrow(RelayConfigError);
  });

  it("refuses cluster mode on PGlite: nodes must share one Postgres", async () => {
    await expect(startRelay({ db: "memory", cluster: { bus: "nats://127.0.0.1:4222" } })).rejects.toThrow(/postgres/);
  });
});
