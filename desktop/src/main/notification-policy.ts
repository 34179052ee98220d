import type { ApprovalsPolicy, HubEventName, HubEvents } from "../hub/api";

/** Where a click on the notification takes the person. */
export type NotifyTarget = "pairing" | "tasks";

export interface NotificationSpec {
  title: string;
  body: string;
  target: NotifyTarget;
}

export interface NotifyContext {
  /** The app window is visible and focused: its own dialog already shows the question. */
  windowFocused: boolean;
  approvals: ApprovalsPolicy;
}

/**
 * Whether an event deserves a native notification, and its words. Only
 * questions that wait for this person are notified: a phone asking to pair,
 * and a command waiting for approval on this desktop. The command itself is
 * left out: notifications show on lock screens.
 */
export function notificationFor<K extends HubEventName>(
  event: K,
  payload: HubEvents[K],
  ctx: NotifyContext,
): NotificationSpec | null {
  if (ctx.windowFocused) return null;
  if (event === "pairing.request") {
    const p = payload as HubEvents["pairing.request"];
    return {
      title: "Pairing request",
      body: `${p.deviceName} wants to pair. Compare code ${p.sas} and answer in Neural Link.`,
      target: "pairing",
    };
  }
  if (event === "approval.request") {
    if (ctx.approvals === "phone") return null;
    const t = payload as HubEvents["approval.request"];
    return {
      title: "Approval needed",
      body: `${t.requester_name} asks to run a ${t.risk}-risk command.`,
      target: "tasks",
    };
  }
  return null;
}
