import { describe, expect, it } from "vitest";
import type { Task } from "../hub/api";
import { notificationFor } from "./notification-policy";

const task: Task = {
  id: "t1",
  command: "rm -rf ~/secret-project",
  risk: "high",
  risk_reasons: ["deletes files"],
  state: "awaiting_approval",
  requested_by: "p".repeat(43),
  requester_name: "Pixel 9",
  created_at: 1,
};
const req = {
  requestId: "r1",
  device: "p".repeat(43),
  deviceName: "Pixel 9",
  kind: "phone" as const,
  sas: "042917",
  expiresAt: 2,
};

describe("notificationFor", () => {
  it("notifies a pairing request with the SAS when the window is not focused", () => {
    expect(notificationFor("pairing.request", req, { windowFocused: false, approvals: "both" })).toEqual({
      title: "Pairing request",
      body: "Pixel 9 wants to pair. Compare code 042917 and answer in Neural Link.",
      target: "pairing",
    });
    expect(notificationFor("pairing.request", req, { windowFocused: true, approvals: "both" })).toBeNull();
  });
  it("notifies approvals only where this desktop may approve, without the command", () => {
    const n = notificationFor("approval.request", task, { windowFocused: false, approvals: "desktop" });
    expect(n?.body).toBe("Pixel 9 asks to run a high-risk command.");
    expect(JSON.stringify(n)).not.toContain("secret-project");
    expect(notificationFor("approval.request", task, { windowFocused: false, approvals: "both" })).not.toBeNull();
    expect(notificationFor("approval.request", task, { windowFocused: false, approvals: "phone" })).toBeNull();
  });
  it("stays quiet for everything else", () => {
    expect(notificationFor("task", task, { windowFocused: false, approvals: "both" })).toBeNull();
    expect(
      notificationFor(
        "message",
        { id: "m", conversation: "c", sender: "s", ts: 1, text: "x" },
        { windowFocused: false, approvals: "both" },
      ),
    ).toBeNull();
  });
});
