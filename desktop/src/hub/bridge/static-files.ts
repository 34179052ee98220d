import type { IncomingMessage, ServerResponse } from "node:http";
import { resolve } from "node:path";
import { getRequestListener } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";

/**
 * The Content-Security-Policy of the web-mode page. Same as the Electron
 * window's, plus the bridge socket's exact origin (older Chromium does not
 * let 'self' cover ws:). Inline styles are needed by xterm's DOM renderer.
 */
export function webModeCsp(origin: string): string {
  const ws = origin.replace(/^http/, "ws");
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${ws}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Said instead of the page when the web UI has not been built. */
export const NOT_BUILT = "web UI not built: run `npm run build`";

const noNext = async () => {};

/**
 * Serves the built renderer from `root` (GET/HEAD only) with the same Hono
 * `serveStatic` the relay serves the phone app with: it refuses `.`/`..`
 * segments, doubled or back slashes and percent-encoded paths, and sets
 * the content type. Any path it does not serve gets index.html, so a
 * reload on any route works. `origin` is read per request (it is known
 * once the server listens).
 *
 * @example const web = webUiFiles(webRoot, () => origin); createServer((req, res) => void web(req, res));
 */
export function webUiFiles(
  root: string,
  origin: () => string,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const base = resolve(root);
  const files = serveStatic({ root: base });
  const shell = serveStatic({ root: base, path: "index.html" });
  const app = new Hono();
  app.get("*", async (c) => {
    const res = (await files(c, noNext)) ?? (await shell(c, noNext));
    if (!res) return c.text(NOT_BUILT, 404);
    const headers = new Headers(res.headers);
    headers.set("Content-Security-Policy", webModeCsp(origin()));
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    // The UI is rebuilt in place while the hub runs: never serve a stale copy.
    headers.set("Cache-Control", "no-store");
    return new Response(res.body, { status: res.status, headers });
  });
  app.all("*", (c) => c.body(null, 405, { Allow: "GET, HEAD" }));
  return getRequestListener(app.fetch);
}
