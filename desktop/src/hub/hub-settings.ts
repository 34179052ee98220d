import { readFileSync } from "node:fs";
import { DEFAULT_PHONE_CAPS, type Capability } from "@neural-link/shared/app";
import type { GatewayClientSettings } from "@neural-link/shared/client";
import { FAVORITES_DEFAULTS, type FavoritesSettings } from "./favorites/favorites-service";
import { OUTPUT_FLOW_DEFAULTS, type OutputFlowSettings } from "./terminals/output-flow";
import { PUSH_DEFAULTS, type PushSettings } from "./push/push-settings";

/** Tuning of the hub core; every value a named setting with its default. */
export interface HubSettings {
  /** Seconds a pairing window stays open (the relay allows at most 600). */
  pairingTtlS: number;
  /** What a newly paired phone may do until the desktop user changes it. */
  defaultCaps: readonly Capability[];
  /**
   * Port of the embedded relay. Fixed by default: a paired phone keeps the
   * relay URL of its QR code, so the port must survive restarts.
   */
  embeddedPort: number;
  /** Address the embedded relay listens on: all interfaces, so a phone on the LAN reaches it. */
  embeddedHost: string;
  /** Scrollback sent to a phone that asks for a terminal snapshot, in UTF-16 code units. */
  snapshotMaxChars: number;
  /**
   * Terminal output to devices: budgets, frame size, watermarks of terminal flow (terminals/output-flow.ts;
   * docs/hub.md).
   */
  termStream: OutputFlowSettings;
  /** Gateway client tuning (reconnect backoff, reply timeout, ACK batching). */
  gateway: Partial<GatewayClientSettings>;
  /** How long an approval may be awaited before it counts as a denial, ms (30 minutes). */
  approvalTtlMs: number;
  /**
   * A `tasks.run` or `tasks.approve` sealed longer ago than this when it arrives is refused as stale, ms (5 minutes).
   */
  staleRequestMs: number;
  /** Saved commands and history: how many of each are kept (favorites/favorites-service.ts; docs/hub.md). */
  favorites: FavoritesSettings;
  /** Web Push to phones (push/push-settings.ts; docs/hub.md, "Push notifications"). */
  push: PushSettings;
}

export const HUB_DEFAULTS: Readonly<HubSettings> = Object.freeze({
  pairingTtlS: 300,
  defaultCaps: DEFAULT_PHONE_CAPS,
  embeddedPort: 8787,
  embeddedHost: "0.0.0.0",
  snapshotMaxChars: 256 * 1024,
  termStream: OUTPUT_FLOW_DEFAULTS,
  gateway: {},
  approvalTtlMs: 30 * 60_000,
  staleRequestMs: 5 * 60_000,
  favorites: FAVORITES_DEFAULTS,
  push: PUSH_DEFAULTS,
});

/** The desktop package's version, as hub.info and the UI report it. */
export const HUB_VERSION: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: unknown;
    };
    return typeof pkg.version === "string" ? pkg.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
})();
