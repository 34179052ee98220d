import type { ErrorCode } from "../protocol/codes";

/** The relay refused an op: its REPLY said `ok: false`, or an ERROR event named it. */
export class GatewayReplyError extends Error {
  override name = "GatewayReplyError";
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** An op could not complete: no connection, the connection dropped, or no reply in time. */
export class GatewayUnavailableError extends Error {
  override name = "GatewayUnavailableError";
  constructor(
    readonly reason: "offline" | "connection_lost" | "timeout" | "closed",
    message: string,
  ) {
    super(message);
  }
}
