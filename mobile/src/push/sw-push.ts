/// <reference lib="webworker" />
import { createStore, del, entries, get, set } from "idb-keyval";
import { type PushPayload, pushPayloadSchema, pushTag } from "@neural-link/shared/app";
import { MOBILE_SETTINGS } from "../settings";
import { type AppToSw, notificationFor, parsePush, type SwToApp } from "./push-words";
import { logFailure } from "@neural-link/ui/log";

const PENDING_ACTION_MS = MOBILE_SETTINGS.notificationActionWaitMs;
const ANSWERED_KEEP_MS = MOBILE_SETTINGS.answeredKeepMs;

/**
 * The service worker's part of Web Push (docs/mobile.md, "Notifications"):
 *
 * - `push`: the payload (already decrypted by the browser) becomes a notification, one per
 *   task or conversation (`tag`), so a follow-up replaces it. Nothing is shown while the app
 *   is open and visible: it shows the change itself (the hub also holds pushes back while the
 *   app says it is visible). An approval this phone already heard was answered, or whose
 *   time ran out, is shown as answered, never as a question.
 * - `notificationclick`: the tap, or the Approve / Reject button, goes to the app, which does
 *   the work over its encrypted link with the paired device's keys (`tasks.approve` bound to
 *   the command text shown). This worker holds no keys and calls nothing itself. An open app
 *   gets a message; otherwise the app is opened at the task's route and, once it says it is
 *   ready, gets the action. A URL never carries an action, so a link cannot approve anything.
 */
export function installPushHandlers(sw: ServiceWorkerGlobalScope): void {
  const scope = new URL(sw.registration.scope);
  const answered = createStore("neural-link-push", "answered");
  let pending: { message: SwToApp; until: number } | null = null;

  const windows = () => sw.clients.matchAll({ type: "window", includeUncontrolled: true });

  async function remember(p: Extract<PushPayload, { k: "answered" }>): Promise<void> {
    await set(`${p.hub}:${p.task}`, { by: p.by, at: Date.now() }, answered);
    for (const [key, value] of await entries<string, { at: number }>(answered)) {
      if (value.at < Date.now() - ANSWERED_KEEP_MS) await del(key, answered);
    }
  }

  async function onPush(text: string | undefined): Promise<void> {
    const p = parsePush(text);
    if (!p) {
      // Not one of ours (or from a newer hub): a browser requires a notification for every push.
      await sw.registration.showNotification("Neural Link", {
        body: "Something happened on your desktop.",
        tag: "nlink:other",
      });
      return;
    }
    if (p.k === "answered") await remember(p);
    let answeredBy: string | undefined;
    if (p.k === "approval") {
      answeredBy = (await get<{ by: string }>(`${p.hub}:${p.task}`, answered))?.by;
      if (answeredBy === undefined && p.expires_at !== undefined && p.expires_at <= Date.now()) {
        return show({ ...p, k: "answered", outcome: "expired", by: "" });
      }
    }
    if ((await windows()).some((c) => c.visibilityState === "visible")) {
      // The app is on screen and shows it; a stale notification of the same thing goes.
      for (const n of await sw.registration.getNotifications({ tag: pushTag(p) })) n.close();
      return;
    }
    return show(p, answeredBy);
  }

  async function show(p: PushPayload, answeredBy?: string): Promise<void> {
    const view = notificationFor(p, answeredBy);
    const options = {
      body: view.body,
      tag: view.tag,
      renotify: view.renotify,
      requireInteraction: view.requireInteraction,
      actions: view.actions,
      icon: new URL("icon-192.png", scope).href,
      data: { payload: p, route: view.route },
    };
    await sw.registration.showNotification(view.title, options as NotificationOptions);
  }

  async function onClick(notification: Notification, action: string): Promise<void> {
    notification.close();
    const data = notification.data as { payload?: unknown; route?: unknown } | null;
    const parsed = pushPayloadSchema.safeParse(data?.payload);
    if (!parsed.success) return;
    const payload = parsed.data;
    const message: SwToApp = {
      type: "nlink.notification",
      action: action === "approve" || action === "reject" ? action : "open",
      payload,
    };
    const open = await windows();
    const client = open.find((c) => c.focused) ?? open.find((c) => c.visibilityState === "visible") ?? open[0];
    if (client) {
      client.postMessage(message);
      // Browsers refuse focus() without a user gesture in some cases; the message above still routes the tap.
      await client.focus().catch(logFailure("app window not focused", {}, "debug"));
      return;
    }
    pending = { message, until: Date.now() + PENDING_ACTION_MS };
    const route = typeof data?.route === "string" && data.route.startsWith("#") ? data.route : "";
    await sw.clients.openWindow(new URL(`./${route}`, scope).href);
  }

  sw.addEventListener("push", (event) => event.waitUntil(onPush(event.data?.text())));

  sw.addEventListener("notificationclick", (event) => {
    const work = onClick(event.notification, event.action);
    try {
      event.waitUntil(work);
    } catch {
      // A click dispatched by a script (the e2e test: no real click exists headless) cannot extend the worker's life.
    }
  });

  sw.addEventListener("message", (event) => {
    const data = event.data as AppToSw | null;
    if (data?.type !== "nlink.ready" || !pending) return;
    const { message, until } = pending;
    pending = null;
    if (until > Date.now()) (event.source as Client | null)?.postMessage(message);
  });
}
