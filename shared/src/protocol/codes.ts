/** WebSocket close codes (docs/protocol.md section 12). */
export const CloseCode = {
  UNKNOWN_ERROR: 4000,
  UNKNOWN_OPCODE: 4001,
  DECODE_ERROR: 4002,
  NOT_AUTHENTICATED: 4003,
  AUTHENTICATION_FAILED: 4004,
  ALREADY_AUTHENTICATED: 4005,
  SESSION_REPLACED: 4006,
  RATE_LIMITED: 4008,
  SESSION_TIMED_OUT: 4009,
  INVALID_SHARD: 4010,
  PAYLOAD_TOO_LARGE: 4011,
  INVALID_VERSION: 4012,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which a client should not reconnect on its own: retrying cannot help. */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set<number>([
  CloseCode.AUTHENTICATION_FAILED,
  CloseCode.INVALID_SHARD,
  CloseCode.INVALID_VERSION,
  CloseCode.SESSION_REPLACED,
]);

/** Error codes of REPLY and ERROR events (docs/protocol.md section 6). */
export const ERROR_CODES = [
  "bad_request",
  "not_granted",
  "queue_full",
  "too_large",
  "rate_limited",
  "rendezvous_taken",
  "rendezvous_closed",
  "too_many_rendezvous",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
export const ErrorCode = Object.fromEntries(ERROR_CODES.map((c) => [c, c])) as { [K in ErrorCode]: K };

/** Status of an accepted SEND (docs/protocol.md section 6). */
export type SendStatus = "sent" | "dropped" | "stored";
