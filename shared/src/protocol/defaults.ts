const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * The protocol's default limits and timings. A relay may be configured lower,
 * never silently higher; clients use these when the relay says nothing else.
 */
export const PROTOCOL_DEFAULTS = {
  /** Largest gateway message, in bytes of UTF-8 JSON. */
  maxMessageBytes: 1 * MiB,
  /** Largest SEND or PAIR_REQUEST body after base64url decoding. */
  maxBodyBytes: 512 * KiB,
  /** Sustained ops per second per connection, and the burst allowed above it. */
  opsPerSecond: 200,
  opsBurst: 400,
  /** Sustained bytes per second per connection (burst: the same amount). */
  bytesPerSecond: 8 * MiB,
  /** Most frame ids in one ACK. */
  maxAckIds: 1000,
  /** Time a fresh connection has to AUTH. */
  authTimeoutMs: 10_000,
  heartbeatIntervalMs: 30_000,
  /** Missed heartbeat intervals after which the relay closes with 4009. */
  heartbeatMissLimit: 3,
  resumeTtlS: 60,
  resumeMaxEvents: 1000,
  resumeMaxBytes: 1 * MiB,
  /** How long a qos 1 frame waits for its recipient. */
  frameExpiryMs: 7 * 24 * 60 * 60 * 1000,
  queueMaxFrames: 10_000,
  queueMaxBytes: 64 * MiB,
  pairMaxTtlS: 600,
  pairMaxOpenPerDevice: 4,
  pairMaxRequests: 10,
  refMaxLength: 64,
} as const;

/** Receivers remember accepted frame ids this long: frame expiry plus one day. */
export const SEEN_ID_RETENTION_MS = PROTOCOL_DEFAULTS.frameExpiryMs + 24 * 60 * 60 * 1000;
/** Envelope timestamps older than this are dropped. */
export const ENVELOPE_MAX_AGE_MS = 8 * 24 * 60 * 60 * 1000;
/** Envelope timestamps further ahead than this are dropped. */
export const ENVELOPE_MAX_SKEW_MS = 10 * 60 * 1000;
