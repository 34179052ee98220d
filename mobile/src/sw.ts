/// <reference lib="webworker" />
import { installPushHandlers } from "./push/sw-push";
// The service worker: keeps the app shell (HTML, scripts, styles, icons) so
// that the app starts with no network, then shows itself offline. It caches
// nothing else: every hub interaction goes over the WebSocket, end-to-end
// encrypted, and must never be served stale.

declare const self: ServiceWorkerGlobalScope;
/** Replaced at build time by the list of built files (see vite.config.ts). */
declare const __APP_SHELL__: string[];
declare const __SHELL_VERSION__: string;

const CACHE = `nlink-shell-${__SHELL_VERSION__}`;
const scope = new URL(self.registration.scope);
const shell = ["./", ...__APP_SHELL__].map((path) => new URL(path, scope).toString());

// Web Push: notifications and what a tap on one does (push/sw-push.ts).
installPushHandlers(self);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(shell))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith("nlink-shell-") && k !== CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(scope.toString())) return;
  if (request.mode === "navigate") {
    // Network first for the page, so that a new version shows up; the cached shell when offline.
    event.respondWith(
      fetch(request).catch(async () => (await caches.match(new URL("./", scope).toString())) ?? Response.error()),
    );
    return;
  }
  // Built files carry a content hash in their names: the cached copy is always right.
  event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request)));
});
