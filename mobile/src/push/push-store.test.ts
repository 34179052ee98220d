import { describe, expect, it } from "vitest";
import type { PushEvents } from "@neural-link/shared/app";
import { ScriptedHub } from "../../test/scripted-hub";
import type { PermissionState, PushPlatform } from "./push-platform";
import { createPushStore } from "./push-store";

const KEY = `B${"A".repeat(86)}`;
const SUB = {
  endpoint: "https://fcm.googleapis.com/fcm/send/abc",
  keys: { p256dh: `B${"x".repeat(86)}`, auth: "y".repeat(22) },
};

/** The browser's side, in memory: what a person answers to the prompt, and the one subscription. */
function platform(answer: PermissionState): PushPlatform & { key: string | null; asked: number } {
  let permission: PermissionState = "default";
  const p = {
    key: null as string | null,
    asked: 0,
    permission: () => permission,
    requestPermission: async () => {
      p.asked++;
      permission = answer;
      return permission;
    },
    subscribe: async (key: string) => {
      p.key = key;
      return SUB;
    },
    currentKey: async () => p.key,
    unsubscribe: async () => {
      p.key = null;
    },
  };
  return p;
}

/** The hub's side of push.*, checked against the shared registry by ScriptedHub. */
function hub(): ScriptedHub & { state: { subscribed: boolean; events: PushEvents } } {
  const h = new ScriptedHub() as ScriptedHub & { state: { subscribed: boolean; events: PushEvents } };
  h.state = { subscribed: false, events: { approval: true, task: true, message: true } };
  h.on("push.key", () => ({ key: KEY }))
    .on("push.settings", (p) => (h.state = { ...h.state, events: { ...h.state.events, ...p.events } }))
    .on("push.subscribe", (p) => (h.state = { subscribed: true, events: { ...h.state.events, ...p.events } }))
    .on("push.unsubscribe", () => (h.state = { ...h.state, subscribed: false }));
  return h;
}

describe("Notifications settings store", () => {
  it("turning on asks for permission, subscribes with the hub's key, and registers the subscription", async () => {
    const p = platform("granted");
    const h = hub();
    const store = createPushStore(p);
    await store.getState().enable("hub-1", h);
    expect(p.asked).toBe(1);
    expect(p.key).toBe(KEY);
    expect(h.callsOf("push.subscribe")).toEqual([
      { subscription: SUB, events: { approval: true, task: true, message: true } },
    ]);
    expect(store.getState()).toMatchObject({
      hub: "hub-1",
      subscribed: true,
      ours: true,
      permission: "granted",
      error: null,
    });
  });

  it("a refused prompt says where to allow it, and registers nothing", async () => {
    const h = hub();
    const store = createPushStore(platform("denied"));
    await store.getState().enable("hub-1", h);
    expect(store.getState().error).toMatch(/blocked/);
    expect(h.callsOf("push.subscribe")).toEqual([]);
  });

  it("kinds toggle at once and follow the hub's answer; turning off unsubscribes on both sides", async () => {
    const p = platform("granted");
    const h = hub();
    const store = createPushStore(p);
    await store.getState().enable("hub-1", h);
    const toggled = store.getState().toggle(h, "message", false);
    expect(store.getState().events.message).toBe(false);
    await toggled;
    expect(h.state.events).toEqual({ approval: true, task: true, message: false });
    await store.getState().disable(h);
    expect(p.key).toBeNull();
    expect(store.getState()).toMatchObject({ subscribed: false, ours: false });
  });

  it("knows when the browser's subscription belongs to another desktop", async () => {
    const p = platform("granted");
    p.key = `B${"Z".repeat(86)}`;
    const h = hub();
    h.state.subscribed = true;
    const store = createPushStore(p);
    await store.getState().load("hub-1", h);
    expect(store.getState()).toMatchObject({ subscribed: true, ours: false });
  });
});
