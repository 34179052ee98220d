import { describe, expect, it } from "vitest";
import { linkStateWords, plainLinkError, whyCannotCall } from "./link-words";

describe("link words", () => {
  it("never shows a raw close code", () => {
    expect(linkStateWords({ state: "offline", peerOnline: false, epoch: 1, error: "closed with 1006" })).toBe(
      "Offline: connection lost; reconnecting…",
    );
    expect(plainLinkError("closed with 4999")).toBe("connection lost");
    expect(plainLinkError("closed with 4006")).toMatch(/another tab/);
    expect(plainLinkError("no HELLO in time")).toBe("the relay did not answer");
    for (const code of [1000, 1001, 1006, 1011, 4000, 4004, 4008, 4009])
      expect(plainLinkError(`closed with ${code}`)).not.toMatch(/\d{4}/);
  });

  it("says why the desktop cannot be asked now, and nothing when it can", () => {
    expect(whyCannotCall({ state: "online", peerOnline: true, epoch: 1 }, false)).toBeNull();
    expect(whyCannotCall({ state: "offline", peerOnline: false, epoch: 1, error: "closed with 1006" }, false)).toBe(
      "Offline: connection lost; reconnecting.",
    );
    expect(whyCannotCall({ state: "online", peerOnline: false, epoch: 1 }, false)).toMatch(/desktop is offline/);
    // Revoked wins over a healthy relay connection: the status bar and the buttons agree.
    expect(whyCannotCall({ state: "online", peerOnline: true, epoch: 1 }, true)).toMatch(/unpaired this phone/);
  });
});
