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

/**
 * A frame that would pass the relay's size limits (docs/protocol.md section 2, Limits:
 * a SEND body of 512 KiB, a message of 1 MiB). It is never written: the relay
 * would refuse it or close the connection with 4011.
 */
export class FrameTooLargeError extends Error {
  override name = "FrameTooLargeError";
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`frame of ${bytes} bytes passes the limit of ${limit} bytes`);
  }
}
