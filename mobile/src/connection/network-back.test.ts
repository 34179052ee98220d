import { describe, expect, it } from "vitest";
import { onNetworkBack } from "./network-back";

function page() {
  const doc = Object.assign(new EventTarget(), { visibilityState: "hidden" });
  return { window: new EventTarget(), document: doc };
}

describe("onNetworkBack", () => {
  it("retries when the network comes back and when the app returns to the foreground, until switched off", () => {
    const signals = page();
    let retries = 0;
    const off = onNetworkBack(() => retries++, signals);
    signals.window.dispatchEvent(new Event("online"));
    expect(retries).toBe(1);
    signals.document.dispatchEvent(new Event("visibilitychange")); // going to the background: nothing
    expect(retries).toBe(1);
    signals.document.visibilityState = "visible";
    signals.document.dispatchEvent(new Event("visibilitychange"));
    expect(retries).toBe(2);
    off();
    signals.window.dispatchEvent(new Event("online"));
    signals.document.dispatchEvent(new Event("visibilitychange"));
    expect(retries).toBe(2);
  });
});
