/**
 * Who may read /metrics: loopback clients (a scraper on the same host), or
 * anyone presenting `Authorization: Bearer <metrics token>` when a token is
 * configured (METRICS_TOKEN). Everyone else gets 403. A request that came
 * through a proxy (Forwarded / X-Forwarded-For) is not treated as loopback,
 * even when the proxy itself connects from 127.0.0.1: the proxy may be
 * forwarding anybody.
 */
import { createHash, timingSafeEqual } from "node:crypto";

export interface MetricsRequest {
  /** The TCP peer address, e.g. 127.0.0.1, ::1 or ::ffff:127.0.0.1. */
  remoteAddress: string | undefined;
  header(name: string): string | undefined;
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return v4.startsWith("127.") || address === "::1";
}

function sameSecret(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so the comparison time says nothing about the token.
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

/** True if this request may read /metrics. */
export function metricsAllowed(request: MetricsRequest, token: string | null): boolean {
  const proxied = request.header("forwarded") !== undefined || request.header("x-forwarded-for") !== undefined;
  if (!proxied && isLoopback(request.remoteAddress)) return true;
  if (token === null) return false;
  const auth = request.header("authorization") ?? "";
  return auth.startsWith("Bearer ") && sameSecret(auth.slice("Bearer ".length), token);
}
