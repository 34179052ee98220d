import { logFailure } from "@neural-link/ui/log";

/**
 * Registers the service worker that keeps the app shell for offline starts.
 * Skipped in `vite dev`, where the files change under it.
 */
export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator) || import.meta.env.DEV) return;
  window.addEventListener("load", () => {
    // A failure only costs offline starts; the app works without it.
    navigator.serviceWorker
      .register(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL })
      .catch(logFailure("service worker not registered: no offline start"));
  });
}
