import type { Logger } from "pino";
import { type EmbeddedRelay, startEmbeddedRelay } from "./embedded-relay";
import type { HubLink } from "./link/hub-link";

export interface RelayConnectorOptions {
  dataDir: string;
  link: HubLink;
  log: Logger;
  /** Embedded relay listening address and port, and the URL phones should use. */
  embedded: { host: string; port: number; publicUrl?: string };
}

/**
 * Points the hub's link at its relay: the embedded one (started on first
 * need, kept across reconnects) or a remote URL (the embedded one is then
 * stopped). Knows which URL a phone should be given for each.
 */
export class RelayConnector {
  private relay: EmbeddedRelay | null = null;
  private remoteUrl: string | null = null;

  constructor(private readonly options: RelayConnectorOptions) {}

  /** `null` means the embedded relay. */
  async connect(remoteUrl: string | null): Promise<void> {
    const { link, embedded } = this.options;
    await link.disconnect();
    this.remoteUrl = remoteUrl;
    if (remoteUrl === null) {
      this.relay ??= await startEmbeddedRelay({
        dataDir: this.options.dataDir,
        host: embedded.host,
        port: embedded.port,
        ...(embedded.publicUrl ? { publicUrl: embedded.publicUrl } : {}),
        log: this.options.log,
      });
      // Its own relay, through memory: the same protocol, AUTH and limits, without a loopback socket's hops.
      await link.connect(this.relay.localUrl, {
        relayId: this.relay.relayId,
        socketFactory: this.relay.socketFactory,
      });
    } else {
      await this.closeEmbedded();
      await link.connect(remoteUrl);
    }
  }

  /** The relay URL for QR codes: the embedded relay's LAN address, or the remote URL. */
  publicUrl(): string | null {
    return this.remoteUrl ?? this.relay?.publicUrl ?? null;
  }

  /** Where a phone opens the app: the embedded relay serves it; a remote relay serves it at /app/ too. */
  phoneAppUrl(): string | null {
    if (this.remoteUrl !== null) return this.remoteUrl.replace(/^ws/, "http").replace(/\/v\d+\/gateway$/, "/app/");
    return this.relay?.appUrl ?? null;
  }

  async close(): Promise<void> {
    await this.options.link.disconnect();
    await this.closeEmbedded();
  }

  private async closeEmbedded(): Promise<void> {
    const relay = this.relay;
    this.relay = null;
    await relay?.close();
  }
}
