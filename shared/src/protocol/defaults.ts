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

const DAY_MS = 24 * 60 * 60 * 1000;
/** Envelope timestamps older than this are dropped. */
export const ENVELOPE_MAX_AGE_MS = 8 * DAY_MS;
/** Envelope timestamps further ahead than this are dropped. */
export const ENVELOPE_MAX_SKEW_MS = 10 * 60 * 1000;
/** Kept on top of the acceptance window, so a sweep running late or a clock step never opens a gap. */
export const SEEN_ID_MARGIN_MS = 60 * 60 * 1000;
/**
 * Receivers remember an accepted frame id this long after accepting it. An
 * envelope accepted at `now` carries `ts <= now + ENVELOPE_MAX_SKEW_MS` and is
 * acceptable until `ts + ENVELOPE_MAX_AGE_MS`, so its id must outlive
 * `now + ENVELOPE_MAX_AGE_MS + ENVELOPE_MAX_SKEW_MS`; docs/protocol.md section 8
 * also asks for at least the frame expiry plus one day. Both, plus a margin.
 */
export const SEEN_ID_RETENTION_MS =
  Math.max(PROTOCOL_DEFAULTS.frameExpiryMs + DAY_MS, ENVELOPE_MAX_AGE_MS + ENVELOPE_MAX_SKEW_MS) + SEEN_ID_MARGIN_MS;
