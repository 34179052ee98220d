import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "./open-store";
import { openTempStore } from "./test-support";

let store: Store;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ store, cleanup } = await openTempStore());
});
afterEach(() => cleanup());

describe("SettingsRepo", () => {
  it("reads defaults for keys never set", async () => {
    expect(await store.settings.getAll()).toEqual({
      hubName: null,
      relayUrl: null,
      approvals: "both",
      defaultRiskPolicy: {},
      trustedRelayIds: {},
      fileLandingDir: null,
      fileMaxBytes: 2 * 1024 ** 3,
    });
  });

  it("stores typed values and reads them back", async () => {
    await store.settings.set("hubName", "Studio PC");
    await store.settings.set("relayUrl", "wss://relay.example.org/v1/gateway");
    await store.settings.set("approvals", "phone");
    await store.settings.set("defaultRiskPolicy", { allow: ["make"], high: ["git push"] });
    expect(await store.settings.get("approvals")).toBe("phone");
    expect(await store.settings.getAll()).toEqual({
      hubName: "Studio PC",
      relayUrl: "wss://relay.example.org/v1/gateway",
      approvals: "phone",
      defaultRiskPolicy: { allow: ["make"], high: ["git push"] },
      trustedRelayIds: {},
      fileLandingDir: null,
      fileMaxBytes: 2 * 1024 ** 3,
    });
    await store.settings.set("relayUrl", null);
    expect(await store.settings.get("relayUrl")).toBeNull();
  });

  it("refuses values that do not fit, with the reason", async () => {
    await expect(store.settings.set("approvals", "anyone" as never)).rejects.toMatchObject({
      code: "invalid",
      message: expect.stringContaining("approvals must be one of"),
    });
    await expect(store.settings.set("relayUrl", "http://relay.example.org")).rejects.toThrow(/ws: or wss:/);
    await expect(store.settings.set("relayUrl", "not a url")).rejects.toThrow(/URL/);
    await expect(store.settings.set("hubName", "x".repeat(65))).rejects.toThrow(/at most 64/);
    await expect(store.settings.set("defaultRiskPolicy", { deny: ["rm"] } as never)).rejects.toThrow(/unknown key/);
    await expect(store.settings.set("defaultRiskPolicy", { allow: [""] })).rejects.toThrow(/non-empty strings/);
    await expect(store.settings.set("trustedRelayIds", { "ws://r/v1/gateway": "" })).rejects.toThrow(
      /relay URL to relay id/,
    );
    expect(await store.settings.get("approvals")).toBe("both");
  });

  it("falls back to the default when a stored value was tampered with", async () => {
    await store.db.insertInto("settings").values({ key: "approvals", value: '"nobody"', updated_at: 1 }).execute();
    expect(await store.settings.get("approvals")).toBe("both");
  });
});
