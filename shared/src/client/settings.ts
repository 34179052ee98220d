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
   * Optional caps on the pace of everything this client writes. Unset (the default), the client
   * follows the relay: it paces at `paceShare` of the rates and `burstShare` of the burst the
   * relay's HELLO announced (docs/protocol.md sections 2 and 4), or of the protocol's defaults
   * (200 ops/s, bursts of 400, 8 MiB/s) when it announced none. A relay closes a client that
   * passes them. Set one to stay below it (a metered link); never paces above the relay.
   */
  opsPerSecond?: number;
  opsBurst?: number;
  bytesPerSecond?: number;
  /** Share of the relay's op and byte rates this client uses: room for a clock that runs a little fast. */
  paceShare: number;
  /** Share of the relay's op burst used at once. */
  burstShare: number;
  /**
   * Optional caps on the largest SEND body (sealed envelope bytes) and the largest gateway message
   * this client writes. Unset, the relay's announced limits (defaults 512 KiB and 1 MiB) apply;
   * never above them. A frame over them is refused before it reaches the outbox. A relay that
   * still closes with 4011 lowers the message limit for the rest of this client's life (see
   * GatewayClient.limits).
   */
  maxBodyBytes?: number;
  maxMessageBytes?: number;
}

export const GATEWAY_CLIENT_DEFAULTS: Readonly<GatewayClientSettings> = Object.freeze({
  reconnectBaseMs: 500,
  reconnectMaxMs: 30_000,
  replyTimeoutMs: 15_000,
  helloTimeoutMs: PROTOCOL_DEFAULTS.authTimeoutMs,
  ackDelayMs: 50,
  ackMaxIds: PROTOCOL_DEFAULTS.maxAckIds,
  outboxMaxAgeMs: PROTOCOL_DEFAULTS.frameExpiryMs,
  paceShare: 0.9,
  burstShare: 0.5,
});
