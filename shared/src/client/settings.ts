import { PROTOCOL_DEFAULTS } from "../protocol/defaults";

/** Tuning of the gateway client; every value is a named setting with its default. */
export interface GatewayClientSettings {
  /** First reconnect ceiling; doubles with each failed attempt. */
  reconnectBaseMs: number;
  /** Largest reconnect ceiling. */
  reconnectMaxMs: number;
  /** How long an op with `ref` waits for its REPLY. */
  replyTimeoutMs: number;
  /** How long a fresh socket may take to open and say HELLO before we give up on it. */
  helloTimeoutMs: number;
  /** How long received qos 1 frame ids wait to be batched into one ACK. */
  ackDelayMs: number;
  /** Most ids per ACK (the protocol allows 1000). */
  ackMaxIds: number;
  /** Outbox frames older than this are dropped instead of re-sent: the receiver would refuse them anyway. */
  outboxMaxAgeMs: number;
  /**
   * Pace of everything this client writes, kept under the relay's limits
   * (docs/protocol.md section 2: 200 ops/s, bursts of 400, 8 MiB/s): a relay closes
   * a client that passes them. Set lower if the relay is configured lower.
   */
  opsPerSecond: number;
  opsBurst: number;
  bytesPerSecond: number;
  /**
   * Largest SEND body (sealed envelope bytes) and largest gateway message this
   * client writes (docs/protocol.md section 2, Limits: 512 KiB and 1 MiB). A frame over
   * them is refused before it reaches the outbox; set lower if the relay is.
   * A relay that still closes with 4011 lowers the message limit for the
   * rest of this client's life (see GatewayClient.limits).
   */
  maxBodyBytes: number;
  maxMessageBytes: number;
}

export const GATEWAY_CLIENT_DEFAULTS: Readonly<GatewayClientSettings> = Object.freeze({
  reconnectBaseMs: 500,
  reconnectMaxMs: 30_000,
  replyTimeoutMs: 15_000,
  helloTimeoutMs: PROTOCOL_DEFAULTS.authTimeoutMs,
  ackDelayMs: 50,
  ackMaxIds: PROTOCOL_DEFAULTS.maxAckIds,
  outboxMaxAgeMs: PROTOCOL_DEFAULTS.frameExpiryMs,
  opsPerSecond: Math.floor(PROTOCOL_DEFAULTS.opsPerSecond * 0.9),
  opsBurst: Math.floor(PROTOCOL_DEFAULTS.opsBurst / 2),
  bytesPerSecond: Math.floor(PROTOCOL_DEFAULTS.bytesPerSecond * 0.9),
  maxBodyBytes: PROTOCOL_DEFAULTS.maxBodyBytes,
  maxMessageBytes: PROTOCOL_DEFAULTS.maxMessageBytes,
});
