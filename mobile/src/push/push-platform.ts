import type { PushSubscriptionJson } from "@neural-link/shared/app";
import { b64uEncode } from "@neural-link/shared/encoding";

export type PermissionState = "default" | "granted" | "denied" | "unsupported";

/**
 * The browser's side of Web Push, behind an interface so the settings store is tested
 * in Node. One PushSubscription per service worker, bound to one VAPID key: so
 * notifications come from one desktop at a time (docs/mobile.md, "Notifications").
 */
export interface PushPlatform {
  permission(): PermissionState;
  /** Must run in a user gesture (a tap): browsers refuse the prompt otherwise. */
  requestPermission(): Promise<PermissionState>;
  /** A subscription for `key` (the hub's VAPID public key, base64url); one for another key is replaced. */
  subscribe(key: string): Promise<PushSubscriptionJson>;
  /** The VAPID key of the current subscription, if any. */
  currentKey(): Promise<string | null>;
  unsubscribe(): Promise<void>;
}

/** Why push cannot work here, in words; null when it can. */
export function pushUnsupportedReason(): string | null {
  if (typeof window === "undefined" || !("serviceWorker" in navigator))
    return "This browser has no service workers, so it cannot show notifications.";
  if (!("PushManager" in window) || !("Notification" in window)) {
    return "This browser cannot receive notifications. On an iPhone, add the app to the home screen first (Share, Add to Home Screen) and open it from there.";
  }
  return null;
}

const keyOf = (sub: PushSubscription | null): string | null => {
  const raw = sub?.options.applicationServerKey;
  return raw ? b64uEncode(new Uint8Array(raw)) : null;
};

export function browserPushPlatform(): PushPlatform {
  const registration = () => navigator.serviceWorker.ready;
  return {
    permission: () => (pushUnsupportedReason() ? "unsupported" : Notification.permission),
    requestPermission: async () => (pushUnsupportedReason() ? "unsupported" : Notification.requestPermission()),
    async subscribe(key) {
      const manager = (await registration()).pushManager;
      const existing = await manager.getSubscription();
      if (existing && keyOf(existing) !== key) await existing.unsubscribe();
      const sub =
        existing && keyOf(existing) === key
          ? existing
          : await manager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
      return sub.toJSON() as PushSubscriptionJson;
    },
    currentKey: async () => keyOf(await (await registration()).pushManager.getSubscription()),
    async unsubscribe() {
      await (await (await registration()).pushManager.getSubscription())?.unsubscribe();
    },
  };
}
