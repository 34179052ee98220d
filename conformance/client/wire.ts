/**
 * Numbers and names of the wire protocol, transcribed from the protocol page
 * (docs/protocol.md sections 3, 6 and 12; not imported from the project: this client must stand
 * on the page alone).
 */

export const Op = {
  EVENT: 0,
  HEARTBEAT: 1,
  AUTH: 2,
  HEARTBEAT_ACK: 3,
  HELLO: 4,
  SEND: 5,
  ACK: 6,
  RECONNECT: 7,
  GRANT: 8,
  INVALID_SESSION: 9,
  REVOKE: 10,
  PAIR_OPEN: 11,
  PAIR_REQUEST: 12,
  PAIR_CLOSE: 13,
} as const;

/** Ops only the relay may send: a client sending one gets 4001. */
export const RELAY_ONLY_OPS = [Op.EVENT, Op.HEARTBEAT_ACK, Op.HELLO, Op.RECONNECT, Op.INVALID_SESSION] as const;

export const Close = {
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

/** One gateway message: `{op, d, s?, t?}`. */
export interface WireMessage {
  op: number;
  d: unknown;
  s?: number;
  t?: string;
}

export interface Hello {
  v: number;
  heartbeat_interval: number;
  challenge: string;
  relay: string;
}

export interface Ready {
  session: string;
  device: string;
  heartbeat_interval: number;
  resume_ttl_s: number;
  peers_online: string[];
}

export interface Frame {
  id: string;
  from: string;
  body: string;
  qos: number;
  ts: number;
}

export type Reply =
  | { ref: string; ok: true; status?: string; [k: string]: unknown }
  | { ref: string; ok: false; code: string; message: string };

export interface ErrorEvent {
  op: number;
  id?: string;
  code: string;
  message: string;
}

export interface PresenceEvent {
  device: string;
  online: boolean;
}

export interface PairRequestEvent {
  rendezvous: string;
  from: string;
  body: string;
}

/** The protocol's default limits (docs/protocol.md sections 2, 4, 5 and 10) that tests rely on. */
export const PROTOCOL_LIMITS = {
  maxMessageBytes: 1024 * 1024,
  maxBodyBytes: 512 * 1024,
  maxAckIds: 1000,
  maxRefChars: 64,
  authTimeoutMs: 10_000,
  pairMaxTtlS: 600,
  pairMaxOpen: 4,
  pairMaxRequests: 10,
  resumeMinEvents: 1000,
} as const;
