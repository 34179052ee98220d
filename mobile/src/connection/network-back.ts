/** What `onNetworkBack` listens to: the page's window and document (injectable for tests). */
export interface NetworkSignals {
  window: Pick<EventTarget, "addEventListener" | "removeEventListener">;
  document: Pick<EventTarget, "addEventListener" | "removeEventListener"> & { visibilityState: string };
}

/**
 * Calls `retry` when the phone says its network is back (`online`) or the app returns to the foreground: the link
 * then reconnects at once instead of at the end of a backoff that grew during the outage (up to 30 s), which is
 * what a person waiting on a screen that says "Offline" would notice. Returns the off switch.
 */
export function onNetworkBack(retry: () => void, signals: NetworkSignals | null = pageSignals()): () => void {
  if (!signals) return () => {};
  const { window: win, document: doc } = signals;
  const onOnline = () => retry();
  const onVisibility = () => {
    if (doc.visibilityState === "visible") retry();
  };
  win.addEventListener("online", onOnline);
  doc.addEventListener("visibilitychange", onVisibility);
  return () => {
    win.removeEventListener("online", onOnline);
    doc.removeEventListener("visibilitychange", onVisibility);
  };
}

/** The page's own signals; none outside a browser (the link in Node tests). */
function pageSignals(): NetworkSignals | null {
  return typeof window === "undefined" || typeof document === "undefined" ? null : { window, document };
}
