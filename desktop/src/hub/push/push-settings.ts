import type { Agent } from "node:https";

/** Tuning of Web Push on the hub (docs/hub.md, "Push notifications"); every value a named setting. */
export interface PushSettings {
  /**
   * Pushes waiting to be sent; past it the oldest waiting one is dropped (and logged), so the task path never waits.
   */
  queueMax: number;
  /** POSTs to push services in flight at once. */
  concurrency: number;
  /** How long one POST to a push service may take, ms. */
  timeoutMs: number;
  /** The VAPID `sub` claim (RFC 8292): a contact for push service operators, `mailto:` or `https:`. */
  subject: string;
  /**
   * Push service hosts the hub will POST to (a host or any subdomain of it). A phone names
   * its endpoint; without this list a paired device could make the hub POST to any https URL.
   */
  allowedHosts: readonly string[];
  /**
   * How long a push service keeps an undelivered task or message push (RFC 8030 TTL), s. Approvals keep theirs until
   * they expire.
   */
  ttlS: number;
  /** Largest plaintext of one push, bytes (RFC 8291 allows 3993 in one record); texts are cut to fit. */
  payloadMaxBytes: number;
  /** Tests only: the TLS agent for POSTs (a loopback push service with its own certificate). */
  agent?: Agent;
}

export const PUSH_DEFAULTS: Readonly<PushSettings> = Object.freeze({
  queueMax: 200,
  concurrency: 2,
  timeoutMs: 15_000,
  subject: "mailto:push@neural-link.invalid",
  allowedHosts: Object.freeze([
    "fcm.googleapis.com",
    "android.googleapis.com",
    "push.services.mozilla.com",
    "push.apple.com",
    "notify.windows.com",
  ]),
  ttlS: 24 * 3600,
  payloadMaxBytes: 3000,
});

/** Whether `endpoint`'s host is one of `allowed` or under one of them. */
export function endpointAllowed(endpoint: string, allowed: readonly string[]): boolean {
  let host: string;
  try {
    const url = new URL(endpoint);
    if (url.protocol !== "https:" || url.username !== "" || url.password !== "") return false;
    host = url.hostname.toLowerCase();
  } catch {
    return false;
  }
  return allowed.some((h) => host === h.toLowerCase() || host.endsWith(`.${h.toLowerCase()}`));
}
