import { RELAY_MISMATCH_CLOSE, type GatewayStatus } from "@neural-link/shared/client";
import type { SettingsRepo } from "../store";

/**
 * The relay id this hub trusts for each relay URL (trust on first use): the
 * id a URL's relay named at its first READY is kept in the settings, and a
 * later HELLO naming another id is refused before signing (docs/protocol.md
 * section 4). Forgetting (`--forget-relay`, or setting the relay URL again)
 * lets the next READY be trusted afresh.
 */
export class RelayTrust {
  constructor(private readonly settings: Pick<SettingsRepo, "get" | "set">) {}

  async trusted(url: string): Promise<string | null> {
    return (await this.settings.get("trustedRelayIds"))[url] ?? null;
  }

  async remember(url: string, relayId: string): Promise<void> {
    const all = await this.settings.get("trustedRelayIds");
    if (all[url] === relayId) return;
    await this.settings.set("trustedRelayIds", { ...all, [url]: relayId });
  }

  /** Forgets the id trusted for `url`, or for every URL when none is given. */
  async forget(url?: string): Promise<void> {
    if (url === undefined) return this.settings.set("trustedRelayIds", {});
    const { [url]: gone, ...rest } = await this.settings.get("trustedRelayIds");
    if (gone !== undefined) await this.settings.set("trustedRelayIds", rest);
  }
}

/** The gateway status with a relay id mismatch (close 1008) told in words a person can act on. */
export function explainMismatch(status: GatewayStatus, url: string, expected: string | null): GatewayStatus {
  if (status.lastCloseCode !== RELAY_MISMATCH_CLOSE || expected === null) return status;
  const lastError =
    `the relay at ${url} now says it is "${status.relayId ?? "?"}", not the "${expected}" this hub trusted; not connecting. ` +
    "If you moved your relay on purpose, run `npm run hub -- --forget-relay`, or change the relay in the hub's settings and back";
  return { ...status, lastError };
}
