/**
 * The renderer's Content-Security-Policy. No inline or remote script, no
 * eval, no remote content of any kind; inline styles are allowed because
 * xterm's DOM renderer and React style props need them. connect-src lets
 * web mode reach its loopback bridge (the hub serves a stricter header with
 * the exact port); in Electron the page talks only through IPC.
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://[::1]:*",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/** The same policy as a <meta> tag, injected into index.html by both vite builds. */
export function cspMetaTag(): string {
  return `<meta http-equiv="Content-Security-Policy" content="${RENDERER_CSP}" />`;
}

/** Inserts the CSP meta tag as the first element of <head>, before any script. */
export function withCspMeta(html: string): string {
  return html.replace(/<head>/i, `<head>\n    ${cspMetaTag()}`);
}
