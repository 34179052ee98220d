import { Notification } from "electron";
import type { HubApi, Settings, Unsubscribe } from "../hub/api";
import { notificationFor, type NotificationSpec } from "./notification-policy";

/**
 * Native notifications for the two questions that wait for this person.
 * A click brings the window forward, where the question's dialog is open.
 * The approvals policy is read at the moment of the event, so a change made
 * in Settings a second earlier counts.
 */
export function startNotifier(
  api: HubApi,
  ui: { windowFocused(): boolean; show(): void },
  onError: (err: unknown) => void,
): Unsubscribe {
  const notify = (spec: NotificationSpec | null) => {
    if (!spec || !Notification.isSupported()) return;
    const n = new Notification({ title: spec.title, body: spec.body });
    n.on("click", () => ui.show());
    n.show();
  };
  const approvals = async (): Promise<Settings["approvals"]> => (await api.getSettings()).approvals;
  const offs = [
    api.on("pairing.request", (p) => {
      void approvals()
        .catch(() => "both" as const)
        .then((a) => notify(notificationFor("pairing.request", p, { windowFocused: ui.windowFocused(), approvals: a })))
        .catch(onError);
    }),
    api.on("approval.request", (t) => {
      void approvals()
        .then((a) =>
          notify(notificationFor("approval.request", t, { windowFocused: ui.windowFocused(), approvals: a })),
        )
        .catch(onError);
    }),
  ];
  return () => offs.forEach((off) => off());
}
