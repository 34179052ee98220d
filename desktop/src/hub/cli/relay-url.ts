import { GATEWAY_PATH } from "@neural-link/shared/protocol";

/**
 * A relay URL as the hub connects to it: ws: or wss:, ending in the gateway
 * path. A base URL (`ws://host:8787`, `wss://example.org/nlink/`) gets the
 * path appended; http: and https: are taken as ws: and wss:.
 *
 * @example normalizeRelayUrl("ws://10.0.0.5:8787", fail) // "ws://10.0.0.5:8787/v1/gateway"
 */
export function normalizeRelayUrl(input: string, fail: (m: string) => Error): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw fail(`takes a ws:// or wss:// URL (or embedded), not "${input}"`);
  }
  const scheme = { "ws:": "ws:", "wss:": "wss:", "http:": "ws:", "https:": "wss:" }[url.protocol];
  if (!scheme) throw fail(`takes a ws:// or wss:// URL (or embedded), not ${url.protocol}`);
  if (url.search || url.hash) throw fail("takes a URL without ?query or #fragment");
  const base = url.pathname.replace(/\/+$/, "");
  const path = base.endsWith(GATEWAY_PATH) ? base : `${base}${GATEWAY_PATH}`;
  return `${scheme}//${url.host}${path}`;
}

/** True when a URL's host is this machine only: a phone elsewhere cannot open it. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "localhost" || host === "[::1]" || host === "::1" || host.startsWith("127.");
  } catch {
    return false;
  }
}
