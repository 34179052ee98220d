import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

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

/**
 * Serves the built renderer from `root` (GET/HEAD only). Unknown paths fall
 * back to index.html so a reload on any route works; `..` can never escape root.
 */
export async function serveStatic(root: string, origin: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD" }).end();
    return;
  }
  const base = resolve(root);
  const pathname = decodeSafe(new URL(req.url ?? "/", origin).pathname);
  let file = pathname === null ? null : normalize(join(base, pathname));
  if (file === null || (file !== base && !file.startsWith(base + sep))) {
    res.writeHead(400).end();
    return;
  }
  if (!(await isFile(file))) file = join(base, "index.html");
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("web UI not built: run `npm run build:web -w @neural-link/desktop`");
    return;
  }
  res.writeHead(200, {
    "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
    "Content-Length": body.length,
    "Content-Security-Policy": webModeCsp(origin),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

function decodeSafe(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
