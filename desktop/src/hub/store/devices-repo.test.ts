import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewDevice } from "./devices-repo";
import type { Store } from "./open-store";
import { openTempStore } from "./test-support";

let store: Store;
let cleanup: () => Promise<void>;
let clock = 1_000;

beforeEach(async () => {
  clock = 1_000;
  ({ store, cleanup } = await openTempStore({ now: () => clock++ }));
});
afterEach(() => cleanup());

const phone: NewDevice = {
  id: "A".repeat(43),
  name: "Pixel",
  kind: "phone",
  boxPublicKey: "B".repeat(43),
  card: { v: 1, device: "A".repeat(43), box: "B".repeat(43), kind: "phone", name: "Pixel", sig: "sig" },
  caps: ["chat", "tasks"],
};

describe("DevicesRepo", () => {
  it("adds a device and reads it back", async () => {
    const d = await store.devices.add(phone);
    expect(d).toEqual({
      id: phone.id,
      name: "Pixel",
      kind: "phone",
      boxPublicKey: phone.boxPublicKey,
      card: phone.card,
      caps: ["chat", "tasks"],
      policy: {},
      pairedAt: d.pairedAt,
      lastSeen: null,
      revokedAt: null,
    });
    expect(await store.devices.get(phone.id)).toEqual(d);
    expect(await store.devices.isActive(phone.id)).toBe(true);
    expect(await store.devices.isActive("unknown")).toBe(false);
  });

  it("renames, sets capabilities and policy, touches last seen", async () => {
    await store.devices.add(phone);
    expect((await store.devices.rename(phone.id, "Work phone")).name).toBe("Work phone");
    expect((await store.devices.setCaps(phone.id, ["chat", "approve", "chat"])).caps).toEqual(["chat", "approve"]);
    expect((await store.devices.setPolicy(phone.id, { forbid: ["git push"] })).policy).toEqual({
      forbid: ["git push"],
    });
    await store.devices.touchLastSeen(phone.id, 4242);
    expect((await store.devices.get(phone.id))!.lastSeen).toBe(4242);
  });

  it("refuses bad input and unknown devices with typed errors", async () => {
    await store.devices.add(phone);
    await expect(store.devices.rename(phone.id, "  ")).rejects.toMatchObject({ code: "invalid" });
    await expect(store.devices.setPolicy(phone.id, { allow: "ls" } as never)).rejects.toMatchObject({
      code: "invalid",
    });
    await expect(store.devices.setCaps(phone.id, [""])).rejects.toMatchObject({ code: "invalid" });
    await expect(store.devices.rename("unknown", "x")).rejects.toMatchObject({ code: "not_found" });
    await expect(store.devices.revoke("unknown")).rejects.toMatchObject({ code: "not_found" });
  });

  it("revokes: inactive, hidden from the default list, first revoke time kept; pairing again restores", async () => {
    await store.devices.add(phone);
    await store.devices.add({ ...phone, id: "C".repeat(43), name: "Tablet" });
    expect((await store.devices.revoke(phone.id, 500)).revokedAt).toBe(500);
    expect((await store.devices.revoke(phone.id, 900)).revokedAt).toBe(500);
    expect(await store.devices.isActive(phone.id)).toBe(false);
    expect((await store.devices.list()).map((d) => d.name)).toEqual(["Tablet"]);
    expect((await store.devices.list({ includeRevoked: true })).map((d) => d.name)).toEqual(["Pixel", "Tablet"]);
    const again = await store.devices.add({ ...phone, caps: ["chat"] });
    expect(again.revokedAt).toBeNull();
    expect(again.caps).toEqual(["chat"]);
    expect(await store.devices.isActive(phone.id)).toBe(true);
  });
});
