import type { StoreApi } from "zustand/vanilla";
import { type PushPayload, pushPayloadSchema, pushTag } from "@neural-link/shared/app";
import type { AppState } from "../stores/app-store";
import { MOBILE_SETTINGS } from "../settings";
import { describeError } from "../stores/errors";
import { logFailure } from "@neural-link/ui/log";

/** Where the app should go: a task (its approval) or the chat, of one desktop. */
export type Route = { tab: "tasks"; task: string; hub: string | null } | { tab: "chat"; hub: string | null };

/**
 * Reads the hash routes notifications open (`#task=<id>&hub=<device>`, `#chat&hub=<device>`). Only navigation: never an
 * action.
 */
export function parseRoute(hash: string): Route | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const hub = params.get("hub");
  const task = params.get("task");
  if (task) return { tab: "tasks", task: task.slice(0, 64), hub };
  if (params.has("chat")) return { tab: "chat", hub };
  return null;
}

const FOCUS_WAIT_MS = MOBILE_SETTINGS.notifiedTaskFocusMs;

function focusTask(id: string): void {
  const until = Date.now() + FOCUS_WAIT_MS;
  const tick = () => {
    const card = document.querySelector(`[data-task="${CSS.escape(id)}"]`);
    if (card) {
      card.scrollIntoView({ block: "center" });
      card.classList.add("notified");
      setTimeout(() => card.classList.remove("notified"), 3000);
    } else if (Date.now() < until) setTimeout(tick, 100);
  };
  tick();
}

/** Goes to a route: the right desktop (if paired), the tab, and the task's card (fetched if not listed). */
export async function goTo(app: StoreApi<AppState>, route: Route): Promise<void> {
  const state = app.getState();
  if (route.hub && route.hub !== state.session?.pairing.device && state.pairings.some((p) => p.device === route.hub))
    await state.select(route.hub);
  app.getState().setTab(route.tab);
  if (route.tab !== "tasks") return;
  const session = app.getState().session;
  if (session && !session.tasks.getState().tasks.some((t) => t.id === route.task)) {
    void session.link
      .call("tasks.get", { task: route.task })
      .then(({ task }) => session.tasks.getState().upsert([task]))
      // The task list is refreshed on the next connect anyway; the tap still opens Tasks.
      .catch(logFailure("the tapped task could not be fetched", { task: route.task }));
  }
  focusTask(route.task);
}

/**
 * Approve or Reject tapped on a notification: done here, by this paired device over its
 * encrypted link, exactly as the approval card does (`tasks.approve` bound to the command
 * text the notification showed; the hub applies the same rules: stale, expiry, mode, digest).
 * The notification is replaced by the outcome when the app is not on screen.
 */
export async function actOnApproval(
  app: StoreApi<AppState>,
  payload: Extract<PushPayload, { k: "approval" }>,
  approve: boolean,
): Promise<string> {
  await goTo(app, { tab: "tasks", task: payload.task, hub: payload.hub });
  const session = app.getState().session;
  let outcome: string;
  if (!session || session.pairing.device !== payload.hub) outcome = "This desktop is no longer paired with this phone.";
  else if (!payload.full) outcome = "Review the whole command in the app before you answer.";
  else {
    try {
      const { task } = await session.link.call("tasks.approve", {
        task: payload.task,
        approve,
        command: payload.command,
      });
      session.tasks.getState().upsert([task]);
      outcome = approve ? "Approved on this phone" : "Rejected on this phone";
    } catch (e) {
      outcome = describeError(e);
      session.tasks.setState({ error: outcome });
    }
  }
  if (document.visibilityState !== "visible" && "serviceWorker" in navigator) {
    const registration = await navigator.serviceWorker.ready;
    await registration
      .showNotification(outcome, { body: payload.command, tag: pushTag(payload), data: { payload } })
      .catch(logFailure("outcome notification not shown (permission withdrawn?)", { tag: pushTag(payload) }));
  }
  return outcome;
}

/** What the service worker sends after a tap (push/sw-push.ts), checked before use. */
export async function handleWorkerMessage(app: StoreApi<AppState>, data: unknown): Promise<void> {
  const msg = data as { type?: unknown; action?: unknown; payload?: unknown } | null;
  if (msg?.type !== "nlink.notification") return;
  const parsed = pushPayloadSchema.safeParse(msg.payload);
  if (!parsed.success) return;
  const p = parsed.data;
  if ((msg.action === "approve" || msg.action === "reject") && p.k === "approval") {
    await actOnApproval(app, p, msg.action === "approve");
    return;
  }
  await goTo(app, p.k === "message" ? { tab: "chat", hub: p.hub } : { tab: "tasks", task: p.task, hub: p.hub });
}
