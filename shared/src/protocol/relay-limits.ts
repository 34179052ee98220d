import { z } from "zod";
import { PROTOCOL_DEFAULTS } from "./defaults";

const positive = z.number().int().positive();

/**
 * HELLO `d.limits` (docs/protocol.md sections 2 and 4, our extension): the per-connection
 * limits this relay enforces, so that a relay configured above the protocol's defaults says
 * so rather than being "silently higher", and a client can pace itself by what it is told.
 * Every field is required when the object is present; a client ignores an ill-formed one
 * (see `helloLimits`) and keeps the defaults.
 */
export const relayLimitsSchema = z.object({
  /** Largest gateway message, bytes (close 4011 above it). */
  max_message_bytes: positive,
  /** Largest SEND / PAIR_REQUEST body after base64url decoding, bytes (`too_large` above it). */
  max_body_bytes: positive,
  /** Sustained ops per second per connection. */
  ops_per_second: positive,
  /** Ops a connection may burst above the rate. */
  ops_burst: positive,
  /** Sustained bytes per second per connection (the bucket holds the same amount). */
  bytes_per_second: positive,
});

export type AnnouncedLimits = z.infer<typeof relayLimitsSchema>;

/** What a relay that says nothing enforces: the protocol's defaults (docs/protocol.md section 2). */
export const DEFAULT_ANNOUNCED_LIMITS: Readonly<AnnouncedLimits> = Object.freeze({
  max_message_bytes: PROTOCOL_DEFAULTS.maxMessageBytes,
  max_body_bytes: PROTOCOL_DEFAULTS.maxBodyBytes,
  ops_per_second: PROTOCOL_DEFAULTS.opsPerSecond,
  ops_burst: PROTOCOL_DEFAULTS.opsBurst,
  bytes_per_second: PROTOCOL_DEFAULTS.bytesPerSecond,
});

/**
 * The limits a client may rely on after a HELLO: the announced ones, or the protocol's
 * defaults when the relay announced none (an older relay) or an ill-formed object.
 *
 * @example
 *   helloLimits({ v: 1, heartbeat_interval: 30000, challenge, relay }) // DEFAULT_ANNOUNCED_LIMITS
 */
export function helloLimits(hello: { limits?: unknown } | null | undefined): AnnouncedLimits {
  const parsed = relayLimitsSchema.safeParse(hello?.limits);
  return parsed.success ? parsed.data : DEFAULT_ANNOUNCED_LIMITS;
}
