/**
 * Serves the phone app's built files at /app/ so a phone can open the app
 * from the relay it pairs through. The files are served by Hono's
 * `serveStatic` (@hono/node-server): it refuses `.`/`..` segments, doubled
 * or back slashes and percent-encoded paths, and sets the content type.
 * Added here: a strict Content-Security-Policy (scripts, styles and workers
 * only from this origin, sockets to any relay, since a QR code may name
 * another one; no framing), cache headers, and index.html for client-side
 * routes.
 */
import { serveStatic } from "@hono/node-server/serve-static";
import type { Context, Hono } from "hono";
import { resolve } from "node:path";

export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' ws: wss:",
  "worker-src 'self'",
  "manifest-src 'self'",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join("; ");

const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": APP_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
};

/**
 * Hashed assets may be kept an hour; the page and the service worker are checked every time, so an update is seen at
 * once.
 */
const ASSET_CACHE = "public, max-age=3600";
const ALWAYS_CHECK = "no-cache";

/**
 * A client-side route of the app (`/app/pair`): letters, digits, `-`, `_` and `/` only, so no file name and no encoded
 * trick.
 */
const CLIENT_ROUTE = /^\/app\/[A-Za-z0-9_/-]*$/;

const noNext = async () => {};

/** The same response with our headers added. */
function withHeaders(res: Response, headers: Record<string, string>): Response {
  const merged = new Headers(res.headers);
  for (const [k, v] of Object.entries(headers)) merged.set(k, v);
  return new Response(res.body, { status: res.status, headers: merged });
}

/** Mounts `dir` at /app/. Unknown client-side routes get index.html; any other unknown path is 404. */
export function mountAppFiles(app: Hono, dir: string): void {
  const root = resolve(dir);
  const files = serveStatic({ root, rewriteRequestPath: (path) => path.slice("/app".length) });
  const shell = serveStatic({ root, path: "index.html" });
  app.get("/app", (c) => c.redirect("/app/", 301));
  app.get("/app/*", async (c: Context) => {
    const path = c.req.path;
    const found = await files(c, noNext);
    if (found) {
      const fresh = path.endsWith("/") || path.endsWith(".html") || path.endsWith("/sw.js");
      return withHeaders(found, { ...SECURITY_HEADERS, "cache-control": fresh ? ALWAYS_CHECK : ASSET_CACHE });
    }
    const page = CLIENT_ROUTE.test(path) ? await shell(c, noNext) : undefined;
    if (page) return withHeaders(page, { ...SECURITY_HEADERS, "cache-control": ALWAYS_CHECK });
    return c.text("not found", 404, SECURITY_HEADERS);
  });
}
