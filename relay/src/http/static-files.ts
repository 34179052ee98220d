/**
 * Serves the phone app's built files at /app/ so a phone can open the app
 * from the relay it pairs through. A strict Content-Security-Policy: scripts,
 * styles and workers only from this origin, sockets to any relay (a QR code
 * may name another one), no framing.
 */
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import type { Hono } from "hono";
import { getMimeType } from "hono/utils/mime";

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

const EXTRA_TYPES: Record<string, string> = { webmanifest: "application/manifest+json", map: "application/json" };

const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": APP_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
};

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Mounts `dir` at /app/. Unknown paths without an extension get index.html (client-side routes). */
export function mountAppFiles(app: Hono, dir: string): void {
  const root = resolve(dir);
  app.get("/app", (c) => c.redirect("/app/", 301));
  app.get("/app/*", async (c) => {
    let relative: string;
    try {
      relative = decodeURIComponent(c.req.path.slice("/app/".length));
    } catch {
      return c.text("bad path", 400);
    }
    let file = resolve(join(root, relative));
    if (file !== root && !file.startsWith(root + sep)) return c.text("not found", 404);
    if (relative === "" || !(await isFile(file))) {
      if (extname(relative) !== "") return c.text("not found", 404, SECURITY_HEADERS);
      file = join(root, "index.html");
      if (!(await isFile(file))) return c.text("not found", 404, SECURITY_HEADERS);
    }
    const type = EXTRA_TYPES[extname(file).slice(1)] ?? getMimeType(file) ?? "application/octet-stream";
    const cache = file.endsWith(".html") || file.endsWith("sw.js") ? "no-cache" : "public, max-age=3600";
    const body = await readFile(file);
    return c.body(body, 200, { ...SECURITY_HEADERS, "content-type": type, "cache-control": cache });
  });
}
