/** Gateway opcodes (docs/protocol.md section 3). */
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
export type Op = (typeof Op)[keyof typeof Op];

/** Ops a client may send. Every other op number is refused with close 4001. */
export const CLIENT_OPS: ReadonlySet<number> = new Set<number>([
  Op.HEARTBEAT,
  Op.AUTH,
  Op.SEND,
  Op.ACK,
  Op.GRANT,
  Op.REVOKE,
  Op.PAIR_OPEN,
  Op.PAIR_REQUEST,
  Op.PAIR_CLOSE,
]);

/** Event names carried in `t` of op 0. */
export const EventName = {
  READY: "READY",
  RESUMED: "RESUMED",
  FRAME: "FRAME",
  REPLY: "REPLY",
  ERROR: "ERROR",
  PRESENCE: "PRESENCE",
  PAIR_REQUEST: "PAIR_REQUEST",
} as const;
export type EventName = (typeof EventName)[keyof typeof EventName];

/** The only gateway path this relay speaks; other versions are closed with 4012. */
export const GATEWAY_VERSION = 1;
export const GATEWAY_PATH = `/v${GATEWAY_VERSION}/gateway`;
