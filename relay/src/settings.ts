/**
 * Every tunable number of the relay, with its default and the option that
 * sets it. Protocol limits (docs/protocol.md section 2) may be lowered, never raised: a
 * higher value is refused rather than silently weakening the contract.
 */
import { hostname } from "node:os";
import { type AnnouncedLimits, PROTOCOL_DEFAULTS } from "@neural-link/shared/protocol";
import { RelayConfigError } from "./errors";

const KiB = 1024;
const MiB = 1024 * KiB;

export interface RelayLimits {
  /** Largest gateway message in bytes; above it the connection is closed with 4011. */
  maxMessageBytes: number;
  /** Largest SEND or PAIR_REQUEST body after base64url decoding; above it `too_large`. */
  maxBodyBytes: number;
  /** Ops per second per connection (token bucket rate). */
  opsPerSecond: number;
  /** Ops a connection may burst above the rate. */
  opsBurst: number;
  /** Bytes per second per connection (burst: the same amount). */
  bytesPerSecond: number;
  /**
   * SENDs refused `rate_limited` (within rateViolationWindowMs of each other) after which the connection is closed
   * 4008.
   */
  rateViolationsMax: number;
  /** A connection that passes no limit for this long has its refusals forgotten. */
  rateViolationWindowMs: number;
  /** How long a qos 1 frame waits for its recipient. */
  frameExpiryMs: number;
  /** Most frames stored for one recipient; past it SEND gets `queue_full`. */
  queueMaxFrames: number;
  /** Most bytes stored for one recipient; past it SEND gets `queue_full`. */
  queueMaxBytes: number;
  /** Events kept per session for resume (at least this many, within resumeMaxBytes). */
  resumeMaxEvents: number;
  /** Bytes of events kept per session for resume. */
  resumeMaxBytes: number;
  /** Longest rendezvous lifetime a PAIR_OPEN may ask for. */
  pairMaxTtlS: number;
  /** Rendezvous one device may hold open at once. */
  pairMaxOpenPerDevice: number;
  /** PAIR_REQUESTs after which a rendezvous closes itself. */
  pairMaxRequests: number;
  /**
   * Bytes waiting in a connection's send buffer above which qos 0 frames to it are dropped and qos 1 frames wait in
   * storage.
   */
  maxBufferedBytes: number;
  /** Bytes waiting in a connection's send buffer above which it is closed 4009 at once. */
  hardMaxBufferedBytes: number;
  /** How long a connection's send buffer may stay above maxBufferedBytes before it is closed 4009. */
  sendStallTimeoutMs: number;
  /**
   * Hard cap of the WebSocket transport: larger messages are cut off by it (close 1009) before being buffered whole.
   */
  transportMaxBytes: number;
  /** Writes committed in one transaction by the group commit. */
  writeBatchMax: number;
  /** Stored frames read per query when delivering a backlog. */
  deliveryPageSize: number;
  /** Period of the sweep that removes expired frames and rendezvous. */
  sweepIntervalMs: number;
  /** How long opening a Postgres connection may take before the op waiting for it fails (`internal`). */
  dbConnectTimeoutMs: number;
}

export const DEFAULT_LIMITS: RelayLimits = {
  maxMessageBytes: PROTOCOL_DEFAULTS.maxMessageBytes,
  maxBodyBytes: PROTOCOL_DEFAULTS.maxBodyBytes,
  opsPerSecond: PROTOCOL_DEFAULTS.opsPerSecond,
  opsBurst: PROTOCOL_DEFAULTS.opsBurst,
  bytesPerSecond: PROTOCOL_DEFAULTS.bytesPerSecond,
  rateViolationsMax: 100,
  rateViolationWindowMs: 10_000,
  frameExpiryMs: PROTOCOL_DEFAULTS.frameExpiryMs,
  queueMaxFrames: PROTOCOL_DEFAULTS.queueMaxFrames,
  queueMaxBytes: PROTOCOL_DEFAULTS.queueMaxBytes,
  resumeMaxEvents: PROTOCOL_DEFAULTS.resumeMaxEvents,
  resumeMaxBytes: PROTOCOL_DEFAULTS.resumeMaxBytes,
  pairMaxTtlS: PROTOCOL_DEFAULTS.pairMaxTtlS,
  pairMaxOpenPerDevice: PROTOCOL_DEFAULTS.pairMaxOpenPerDevice,
  pairMaxRequests: PROTOCOL_DEFAULTS.pairMaxRequests,
  maxBufferedBytes: 8 * MiB,
  hardMaxBufferedBytes: 32 * MiB,
  sendStallTimeoutMs: 30_000,
  transportMaxBytes: 4 * MiB,
  writeBatchMax: 500,
  deliveryPageSize: 500,
  sweepIntervalMs: 60_000,
  dbConnectTimeoutMs: 5000,
};

/** Limits a client relies on (docs/protocol.md sections 2, 4, 5 and 10): configurable lower only. */
const PROTOCOL_CEILINGS = [
  "maxMessageBytes",
  "maxBodyBytes",
  "opsPerSecond",
  "opsBurst",
  "bytesPerSecond",
  "pairMaxTtlS",
  "pairMaxOpenPerDevice",
  "pairMaxRequests",
] as const satisfies readonly (keyof RelayLimits)[];

export interface RelayTimings {
  /** HELLO's heartbeat_interval; three missed intervals close the connection with 4009. */
  heartbeatMs: number;
  /** Missed heartbeat intervals before 4009. */
  heartbeatMissLimit: number;
  /** Time a fresh connection has to AUTH before 4003. */
  authTimeoutMs: number;
  /** How long a dropped session stays resumable. */
  resumeTtlS: number;
}

export const DEFAULT_TIMINGS: RelayTimings = {
  heartbeatMs: PROTOCOL_DEFAULTS.heartbeatIntervalMs,
  heartbeatMissLimit: PROTOCOL_DEFAULTS.heartbeatMissLimit,
  authTimeoutMs: PROTOCOL_DEFAULTS.authTimeoutMs,
  resumeTtlS: PROTOCOL_DEFAULTS.resumeTtlS,
};

export interface RelaySettings extends RelayTimings {
  relayId: string;
  limits: RelayLimits;
}

/** The default relay id: stable per machine. Set one explicitly per deployment. */
export function defaultRelayId(): string {
  return `nlink-relay:${hostname()}`;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new RelayConfigError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** Protocol limits set above the defaults (allowed only with `exceedProtocolLimits`, and logged). */
export function raisedLimits(limits: RelayLimits): string[] {
  return PROTOCOL_CEILINGS.filter((name) => limits[name] > DEFAULT_LIMITS[name]);
}

/**
 * HELLO's `limits` (docs/protocol.md section 4): what this relay enforces per connection, always
 * announced, so that limits raised with `exceedProtocolLimits` are said on the wire, never silent,
 * and clients pace themselves by the relay they reached rather than by a setting of their own.
 */
export function announcedLimits(limits: RelayLimits): AnnouncedLimits {
  return {
    max_message_bytes: limits.maxMessageBytes,
    max_body_bytes: limits.maxBodyBytes,
    ops_per_second: limits.opsPerSecond,
    ops_burst: limits.opsBurst,
    bytes_per_second: limits.bytesPerSecond,
  };
}

/** Merges overrides into the defaults and checks them. Throws RelayConfigError. */
export function resolveSettings(
  input: { relayId?: string; limits?: Partial<RelayLimits>; exceedProtocolLimits?: boolean } & Partial<RelayTimings>,
): RelaySettings {
  const limits: RelayLimits = { ...DEFAULT_LIMITS, ...input.limits };
  for (const [name, value] of Object.entries(limits)) positiveInteger(name, value);
  for (const name of PROTOCOL_CEILINGS) {
    if (limits[name] > DEFAULT_LIMITS[name] && input.exceedProtocolLimits !== true) {
      throw new RelayConfigError(
        `${name} may be configured lower than the protocol default (${DEFAULT_LIMITS[name]}), never higher`,
      );
    }
  }
  if (limits.transportMaxBytes < limits.maxMessageBytes)
    throw new RelayConfigError("transportMaxBytes must be at least maxMessageBytes");
  const hardFloor = limits.maxBufferedBytes + limits.maxMessageBytes + limits.resumeMaxBytes;
  if (limits.hardMaxBufferedBytes < hardFloor) {
    // The high-water mark plus one largest message and a whole resume replay must fit, or the
    // hard limit would close readers that are merely busy.
    limits.hardMaxBufferedBytes = hardFloor;
  }
  const timings: RelayTimings = { ...DEFAULT_TIMINGS };
  for (const key of Object.keys(DEFAULT_TIMINGS) as (keyof RelayTimings)[]) {
    const value = input[key];
    if (value !== undefined) timings[key] = positiveInteger(key, value);
  }
  const relayId = input.relayId ?? defaultRelayId();
  if (relayId.length === 0 || relayId.length > 200) throw new RelayConfigError("relayId must be 1 to 200 characters");
  return { ...timings, relayId, limits };
}
