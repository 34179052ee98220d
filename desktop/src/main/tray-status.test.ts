import { describe, expect, it } from "vitest";
import type { HubStatus } from "../hub/api";
import { trayIconBitmap, trayView } from "./tray-status";

const base: HubStatus = {
  setupDone: true,
  device: "d".repeat(43),
  name: "Desk",
  version: "0.1.0",
  relay: { mode: "embedded", url: null, connected: true },
  devicesPaired: 2,
  devicesOnline: 1,
  approvalsWaiting: 0,
};

describe("trayView", () => {
  it("says ok with relay and device counts", () => {
    expect(trayView(base)).toEqual({
      state: "ok",
      tooltip: "Neural Link: Relay connected",
      lines: ["Relay connected", "1 of 2 devices online", "No approvals waiting"],
    });
  });
  it("asks for attention when approvals wait, even offline", () => {
    const v = trayView({ ...base, approvalsWaiting: 1, relay: { ...base.relay, connected: false } });
    expect(v.state).toBe("attention");
    expect(v.tooltip).toBe("Neural Link: 1 task waits for approval");
    expect(v.lines[0]).toBe("Relay offline");
  });
  it("is offline before setup and when the relay is down", () => {
    expect(trayView(null).state).toBe("offline");
    expect(trayView({ ...base, setupDone: false }).tooltip).toBe("Neural Link: not set up");
    expect(trayView({ ...base, relay: { ...base.relay, connected: false } }).state).toBe("offline");
  });
});

describe("trayIconBitmap", () => {
  it("draws an opaque centre and transparent corners in BGRA", () => {
    const px = trayIconBitmap("ok", 16);
    expect(px.length).toBe(16 * 16 * 4);
    const at = (x: number, y: number) => [...px.subarray((y * 16 + x) * 4, (y * 16 + x) * 4 + 4)];
    expect(at(8, 8)).toEqual([0x4f, 0xa0, 0x2e, 255]);
    expect(at(0, 0)[3]).toBe(0);
    expect(trayIconBitmap("attention", 16).equals(px)).toBe(false);
  });
});
