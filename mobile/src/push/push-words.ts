import { type PushPayload, pushPayloadSchema, pushTag } from "@neural-link/shared/app";

/** What the service worker shows for one push (no DOM types, so it is tested in Node). */
export interface NotificationView {
  title: string;
  body: string;
  tag: string;
  /** Keep it until the person acts (approvals). */
  requireInteraction: boolean;
  /** Notification buttons: only for an approval whose whole command is shown. */
  actions: { action: "approve" | "reject"; title: string }[];
  /** Where a tap opens the app (a hash route the app understands: notification-route.ts). */
  route: string;
  /** Replace silently (a follow-up), or alert again. */
  renotify: boolean;
}

/** The hash route of a payload: the task it is about, or the chat. */
export function routeOf(p: PushPayload): string {
  const hub = `hub=${encodeURIComponent(p.hub)}`;
  return p.k === "message" ? `#chat&${hub}` : `#task=${encodeURIComponent(p.task)}&${hub}`;
}

const RISK: Record<string, string> = { high: "high risk", low: "low risk", forbidden: "forbidden" };

function answeredWords(p: Extract<PushPayload, { k: "answered" }>): { title: string; body: string } {
  const on = p.by || p.hub_name;
  switch (p.outcome) {
    case "approved":
      return { title: `Answered on ${on}`, body: "Approved: it runs on the desktop." };
    case "voted":
      return { title: `Answered on ${on}`, body: "Approved here; the desktop must approve too." };
    case "rejected":
      return { title: `Answered on ${on}`, body: "Rejected: it will not run." };
    case "cancelled":
      return { title: `Answered on ${on}`, body: "The request was withdrawn." };
    case "expired":
      return { title: "No longer waiting", body: "Nobody approved it in time; it will not run." };
    default:
      return { title: `Answered on ${on}`, body: "This request was answered." };
  }
}

function taskWords(p: Extract<PushPayload, { k: "task" }>): string {
  if (p.state === "done") return "Task finished";
  if (p.state === "timed_out") return "Task timed out";
  return p.exit_code != null ? `Task failed (exit ${p.exit_code})` : "Task failed";
}

/** The notification for a payload; `answeredBy` is set when this phone already knows the approval was answered. */
export function notificationFor(p: PushPayload, answeredBy?: string): NotificationView {
  const base = { tag: pushTag(p), route: routeOf(p), requireInteraction: false, actions: [], renotify: true };
  switch (p.k) {
    case "approval": {
      if (answeredBy !== undefined)
        return { ...base, title: `Answered on ${answeredBy || p.hub_name}`, body: p.command, renotify: false };
      const what = p.terminal ? "A terminal was requested" : "Approval needed";
      const body = `${p.command}\nAsked by ${p.asker} · ${RISK[p.risk] ?? p.risk}${p.full ? "" : "\nOpen the app to see the whole command."}`;
      return {
        ...base,
        title: `${what} on ${p.hub_name}`,
        body,
        requireInteraction: true,
        actions: p.full
          ? [
              { action: "approve", title: "Approve" },
              { action: "reject", title: "Reject" },
            ]
          : [],
      };
    }
    case "answered":
      return { ...base, ...answeredWords(p), renotify: false };
    case "task":
      return { ...base, title: `${taskWords(p)} on ${p.hub_name}`, body: p.command };
    case "message":
      return { ...base, title: `${p.sender} · ${p.hub_name}`, body: p.text };
    default: {
      const never: never = p;
      return never;
    }
  }
}

/** Parses a push's text; null for anything that is not one of ours. */
export function parsePush(text: string | undefined): PushPayload | null {
  if (!text) return null;
  try {
    const parsed = pushPayloadSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Messages between the service worker and the app (same origin only). */
export type SwToApp = { type: "nlink.notification"; action: "open" | "approve" | "reject"; payload: PushPayload };
export type AppToSw = { type: "nlink.ready" };
