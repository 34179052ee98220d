/**
 * How a call crosses a transport (Electron IPC or the web-mode WebSocket
 * bridge): error codes, the outcome envelope, the bridge's wire messages and
 * close codes, and the error a failed call rejects with on the UI side.
 */
import type { HubEventName } from "./events";
import type { HubMethod } from "./hub-api";

/** Error codes a call can fail with, on either transport. */
export type HubErrorCode =
  "unknown_method" | "bad_params" | "not_found" | "forbidden" | "conflict" | "not_ready" | "internal";
export const HUB_ERROR_CODES = [
  "unknown_method",
  "bad_params",
  "not_found",
  "forbidden",
  "conflict",
  "not_ready",
  "internal",
] as const satisfies readonly HubErrorCode[];

/** The outcome of one call as it crosses a transport (IPC or bridge). */
export type CallOutcome = { ok: true; result: unknown } | { ok: false; code: HubErrorCode; message: string };

/**
 * Web-mode bridge wire format (one JSON object per WebSocket text message).
 * The first client message MUST be `auth`; calls before it close the socket.
 */
export type BridgeClientMessage =
  { type: "auth"; token: string } | { type: "call"; id: number; method: HubMethod; params?: unknown };
export type BridgeServerMessage =
  | { type: "ready" }
  | ({ type: "reply"; id: number } & CallOutcome)
  | { type: "event"; event: HubEventName; payload: unknown };

/** Close codes of the web-mode bridge socket. */
export const BridgeClose = {
  /** Missing, malformed or wrong session token. */
  BAD_TOKEN: 4401,
  /** No auth message in time. */
  AUTH_TIMEOUT: 4408,
  /** A message that is not valid bridge JSON, or a call before auth. */
  PROTOCOL_ERROR: 4400,
  /** The hub is shutting down. */
  GOING_AWAY: 1001,
} as const;

/**
 * What a failed call rejects with on the renderer side. Over Electron's
 * contextBridge only `message` survives, so the UI must not rely on `code`.
 */
export class HubRequestError extends Error {
  override readonly name = "HubRequestError";
  constructor(
    readonly code: HubErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Turns a transport's `CallOutcome` back into a result or a thrown HubRequestError. */
export function unwrapOutcome(outcome: CallOutcome): unknown {
  if (outcome.ok) return outcome.result;
  throw new HubRequestError(outcome.code, outcome.message);
}
