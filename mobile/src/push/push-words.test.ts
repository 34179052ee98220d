import { describe, expect, it } from "vitest";
import { type PushPayload, pushTag } from "@neural-link/shared/app";
import { notificationFor, parsePush, routeOf } from "./push-words";
import { parseRoute } from "./notification-route";

const hub = { hub: "H".repeat(43), hub_name: "Studio" };
const approval: PushPayload = {
  ...hub,
  k: "approval",
  task: "t1",
  command: "rm -rf ./build",
  full: true,
  risk: "high",
  asker: "Pixel",
  expires_at: Date.now() + 60_000,
};

describe("push words", () => {
  it("an approval: the exact command, who asked, the risk, Approve and Reject, kept until answered", () => {
    const n = notificationFor(approval);
    expect(n).toMatchObject({ title: "Approval needed on Studio", tag: pushTag(approval), requireInteraction: true });
    expect(n.body).toBe("rm -rf ./build\nAsked by Pixel · high risk");
    expect(n.actions.map((a) => a.action)).toEqual(["approve", "reject"]);
    expect(parseRoute(n.route)).toEqual({ tab: "tasks", task: "t1", hub: hub.hub });
  });

  it("a cut command offers no buttons: the whole text must be seen first", () => {
    const n = notificationFor({ ...approval, full: false });
    expect(n.actions).toEqual([]);
    expect(n.body).toContain("Open the app to see the whole command.");
  });

  it("answered replaces the approval under the same tag, silently; an approval already answered says so", () => {
    const answered: PushPayload = { ...hub, k: "answered", task: "t1", outcome: "rejected", by: "Studio" };
    expect(notificationFor(answered)).toMatchObject({
      title: "Answered on Studio",
      body: "Rejected: it will not run.",
      tag: pushTag(approval),
      renotify: false,
      actions: [],
    });
    expect(notificationFor(approval, "Studio")).toMatchObject({
      title: "Answered on Studio",
      actions: [],
      requireInteraction: false,
    });
    expect(notificationFor({ ...answered, outcome: "expired", by: "" }).title).toBe("No longer waiting");
  });

  it("tasks and messages; one tag per conversation; the chat route", () => {
    expect(
      notificationFor({ ...hub, k: "task", task: "t2", command: "make", state: "failed", exit_code: 2 }).title,
    ).toBe("Task failed (exit 2) on Studio");
    const m: PushPayload = { ...hub, k: "message", message: "m1", conversation: "main", sender: "Desk", text: "hi" };
    expect(notificationFor(m)).toMatchObject({ title: "Desk · Studio", body: "hi" });
    expect(routeOf(m)).toBe(`#chat&hub=${hub.hub}`);
    expect(parseRoute(routeOf(m))).toEqual({ tab: "chat", hub: hub.hub });
  });

  it("parses only our payloads; a route never carries an action", () => {
    expect(parsePush(JSON.stringify(approval))).toEqual(approval);
    expect(parsePush("not json")).toBeNull();
    expect(parsePush(JSON.stringify({ k: "approval" }))).toBeNull();
    expect(parseRoute("#task=t1&hub=x&approve=1")).toEqual({ tab: "tasks", task: "t1", hub: "x" });
    expect(parseRoute("#nothing")).toBeNull();
  });
});
