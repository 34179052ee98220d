import "./notifications.css";
import type { StoreApi } from "zustand/vanilla";
import type { AppState } from "../stores/app-store";
import type { Session } from "../stores/session";
import { goTo, handleWorkerMessage, parseRoute } from "./notification-route";
import type { PushSettingsState } from "./push-store";
import { logFailure } from "@neural-link/ui/log";

/**
 * Wires notifications into the running app (main.tsx calls it once):
 * - hash routes opened by a notification (`#task=...&hub=...`) go to that task or the chat;
 * - the service worker's messages after a tap (open, Approve, Reject) are acted on;
 * - while this desktop sends this phone pushes, the app tells it whether it is visible
 *   (`push.visibility`), so no push duplicates what is on screen.
 */
export function installPush(app: StoreApi<AppState>, push: StoreApi<PushSettingsState>): void {
  let routed = false;
  const route = () => {
    const r = parseRoute(location.hash);
    if (!r || app.getState().phase !== "ready") return;
    // Navigation only, once: a reload does not jump again.
    history.replaceState(null, "", location.pathname + location.search);
    void goTo(app, r);
  };
  window.addEventListener("hashchange", route);
  // "ready" is set just before the chosen desktop's session opens (in the same step of
  // init): acting in the listener would open a second session and close the first under it.
  const afterReady = (fn: () => void) => setTimeout(fn, 0);
  app.subscribe((s) => {
    if (s.phase === "ready" && !routed) {
      routed = true;
      afterReady(route);
    }
  });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", (e) => void handleWorkerMessage(app, e.data));
    navigator.serviceWorker.startMessages();
    // A window the worker opened for a tap gets that tap's action once it asks for it.
    const ready = () => void navigator.serviceWorker.ready.then((r) => r.active?.postMessage({ type: "nlink.ready" }));
    if (app.getState().phase === "ready") ready();
    else {
      const off = app.subscribe((s) => {
        if (s.phase !== "ready") return;
        off();
        afterReady(ready);
      });
    }
  }

  let session: Session | null = null;
  let offStatus = () => {};
  let epoch = -1;
  const report = () => {
    const s = app.getState().session;
    const p = push.getState();
    if (!s || p.hub !== s.pairing.device || !p.subscribed) return;
    if (s.link.status().state !== "online") return;
    // A lost visibility report only means a push may be shown while the app is open; the next change reports again.
    void s.link
      .call("push.visibility", { visible: document.visibilityState === "visible" })
      .catch(logFailure("push.visibility not reported", {}, "debug"));
  };
  document.addEventListener("visibilitychange", report);
  push.subscribe((p, prev) => {
    if (p.subscribed !== prev.subscribed || p.hub !== prev.hub) report();
  });
  const follow = (s: Session | null) => {
    if (s === session) return;
    offStatus();
    session = s;
    epoch = -1;
    // Each time the link comes (back) online the hub has forgotten: it drops the flag when the phone goes offline.
    offStatus = s
      ? s.link.onStatus((st) => {
          if (st.state === "online" && st.epoch !== epoch) {
            epoch = st.epoch;
            // With notifications allowed, learn whether this desktop sends them (the settings screen may never open).
            if (push.getState().permission === "granted" && push.getState().hub !== s.pairing.device)
              void push.getState().load(s.pairing.device, s.link);
            else report();
          }
        })
      : () => {};
  };
  app.subscribe((s) => follow(s.session));
  follow(app.getState().session);
}
