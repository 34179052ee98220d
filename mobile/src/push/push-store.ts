import { createStore, type StoreApi } from "zustand/vanilla";
import { PUSH_EVENTS_DEFAULT, type PushEvents, type PushKind } from "@neural-link/shared/app";
import type { HubCaller } from "../connection/hub-link";
import { describeError } from "../stores/errors";
import type { PermissionState, PushPlatform } from "./push-platform";

export interface PushSettingsState {
  /** The desktop these settings are for. */
  hub: string | null;
  permission: PermissionState;
  /** This desktop has a subscription of this phone's. */
  subscribed: boolean;
  /** The subscription in the browser is the one for this desktop (another desktop may hold it). */
  ours: boolean;
  events: PushEvents;
  busy: boolean;
  error: string | null;
  /** Reads the desktop's settings for this phone and whether the browser's subscription is for it. */
  load(hub: string, caller: HubCaller): Promise<void>;
  /** Asks for permission (call it from a tap), subscribes, registers the subscription with the desktop. */
  enable(hub: string, caller: HubCaller): Promise<void>;
  disable(caller: HubCaller): Promise<void>;
  toggle(caller: HubCaller, kind: PushKind, on: boolean): Promise<void>;
}

const DENIED = "Notifications are blocked for this app. Allow them in the browser's site settings, then try again.";

/**
 * The Notifications settings of the desktop in use: permission, subscription, kinds (docs/mobile.md, "Notifications").
 */
export function createPushStore(platform: PushPlatform): StoreApi<PushSettingsState> {
  return createStore<PushSettingsState>((set, get) => {
    const step = async (fn: () => Promise<Partial<PushSettingsState>>) => {
      set({ busy: true, error: null });
      try {
        set({ ...(await fn()), busy: false });
      } catch (e) {
        set({ busy: false, error: describeError(e), permission: platform.permission() });
      }
    };
    return {
      hub: null,
      permission: platform.permission(),
      subscribed: false,
      ours: false,
      events: { ...PUSH_EVENTS_DEFAULT },
      busy: false,
      error: null,

      load: (hub, caller) =>
        step(async () => {
          if (get().hub !== hub) set({ hub, subscribed: false, ours: false, events: { ...PUSH_EVENTS_DEFAULT } });
          const [state, key, current] = await Promise.all([
            caller.call("push.settings", {}),
            caller.call("push.key", {}),
            platform.permission() === "unsupported" ? Promise.resolve(null) : platform.currentKey(),
          ]);
          return { ...state, ours: current !== null && current === key.key, permission: platform.permission() };
        }),

      enable: (hub, caller) =>
        step(async () => {
          // First, while the tap still counts as a user gesture.
          const permission = await platform.requestPermission();
          if (permission === "unsupported") return { permission };
          if (permission !== "granted")
            return { permission, error: permission === "denied" ? DENIED : "Notifications were not allowed." };
          const { key } = await caller.call("push.key", {});
          const subscription = await platform.subscribe(key);
          const state = await caller.call("push.subscribe", { subscription, events: get().events });
          return { ...state, hub, permission, ours: true };
        }),

      disable: (caller) =>
        step(async () => {
          if (get().ours) await platform.unsubscribe();
          return { ...(await caller.call("push.unsubscribe", {})), ours: false };
        }),

      toggle: (caller, kind, on) => {
        // Shown at once (a checkbox that lags its tap looks broken); the desktop's answer then stands.
        const before = get().events;
        set({ events: { ...before, [kind]: on } });
        return step(async () => {
          try {
            return await caller.call("push.settings", { events: { [kind]: on } });
          } catch (e) {
            set({ events: before });
            throw e;
          }
        });
      },
    };
  });
}
