import type { AnnouncedLimits } from "../protocol/relay-limits";
import type { FrameLimits } from "./frame-size";
import type { GatewayClientSettings } from "./settings";
import type { WritePacerSettings } from "./write-pacer";

type PaceSettings = Pick<
  GatewayClientSettings,
  "opsPerSecond" | "opsBurst" | "bytesPerSecond" | "paceShare" | "burstShare" | "maxBodyBytes" | "maxMessageBytes"
>;

const capped = (derived: number, cap: number | undefined) => Math.max(1, Math.floor(Math.min(derived, cap ?? derived)));

/**
 * The write pace for a connection: a share of what the relay announced (docs/protocol.md
 * section 4, HELLO `limits`), lowered further by any cap in the settings. Never above the relay.
 *
 * @example
 *   paceFor(GATEWAY_CLIENT_DEFAULTS, DEFAULT_ANNOUNCED_LIMITS) // {opsPerSecond: 180, opsBurst: 200, bytesPerSecond: 7549747}
 */
export function paceFor(settings: PaceSettings, relay: AnnouncedLimits): WritePacerSettings {
  return {
    opsPerSecond: capped(relay.ops_per_second * settings.paceShare, settings.opsPerSecond),
    opsBurst: capped(relay.ops_burst * settings.burstShare, settings.opsBurst),
    bytesPerSecond: capped(relay.bytes_per_second * settings.paceShare, settings.bytesPerSecond),
  };
}

/** The sizes a frame must fit on a connection: the relay's announced limits, or a lower cap of the settings. */
export function sizeLimitsFor(settings: PaceSettings, relay: AnnouncedLimits): FrameLimits {
  return {
    maxBodyBytes: capped(relay.max_body_bytes, settings.maxBodyBytes),
    maxMessageBytes: capped(relay.max_message_bytes, settings.maxMessageBytes),
  };
}
