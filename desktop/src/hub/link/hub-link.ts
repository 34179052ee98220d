import type { Identity } from "@neural-link/shared/crypto";
import { b64uDecode, b64uEncode } from "@neural-link/shared/encoding";
import {
  Emitter,
  Endpoint,
  GatewayClient,
  type GatewayClientSettings,
  type GatewayStatus,
  type IncomingMessage,
  type SendOutcome,
  type SocketFactory,
  type Unsubscribe,
} from "@neural-link/shared/client";
import type { PairRequestEvent } from "@neural-link/shared/protocol";
import type { Logger } from "pino";
import { HubError } from "../hub-error";
import type { Store } from "../store";
import { wsSocketFactory } from "./ws-socket";

export interface HubLinkOptions {
  identity: Identity;
  store: Store;
  log: Logger;
  version: string;
  socketFactory?: SocketFactory;
  gateway?: Partial<GatewayClientSettings>;
  /** How often remembered frame ids past their expiry are forgotten. */
  seenSweepIntervalMs?: number;
}

export interface HubLinkEvents {
  status: GatewayStatus;
  presence: { device: string; online: boolean };
  message: IncomingMessage;
  pairRequest: PairRequestEvent;
}

const HOUR = 60 * 60 * 1000;

/**
 * The hub's connection to its relay: a GatewayClient whose outbox and
 * remembered frame ids live in the SQLite store, and an Endpoint that knows
 * every active paired device. Its events outlive a change of relay, so the
 * services listening to them never re-subscribe. On every fresh session it GRANTs each of them
 * (grants are durable at the relay, but a new relay or a wiped one must
 * learn them again) and sends the REVOKEs that could not go out while offline.
 */
export class HubLink {
  private readonly events: Emitter<HubLinkEvents>;
  private readonly log: Logger;
  private readonly pendingRevokes = new Set<string>();
  private current: { gateway: GatewayClient; endpoint: Endpoint; offs: Unsubscribe[] } | null = null;
  private sweepTimer: ReturnType<typeof setInterval> | undefined;
  readonly device: string;

  constructor(private readonly options: HubLinkOptions) {
    this.log = options.log.child({ mod: "hub/link" });
    this.events = new Emitter(this.log);
    this.device = b64uEncode(options.identity.signPublicKey);
  }

  on<K extends keyof HubLinkEvents>(event: K, listener: (payload: HubLinkEvents[K]) => void): Unsubscribe {
    return this.events.on(event, listener);
  }

  /** The live gateway client; throws `not_ready` when the hub has no relay configured yet. */
  get gateway(): GatewayClient {
    if (!this.current) throw new HubError("not_ready", "the hub is not connected to a relay");
    return this.current.gateway;
  }

  get endpoint(): Endpoint {
    if (!this.current) throw new HubError("not_ready", "the hub is not connected to a relay");
    return this.current.endpoint;
  }

  get status(): GatewayStatus & { url: string | null } {
    if (!this.current) return { state: "closed", lastError: null, lastCloseCode: null, url: null };
    return { ...this.current.gateway.status, url: this.url };
  }

  private url: string | null = null;
  private readonly dropped = new Map<string, number>();

  /** Frames dropped since start, by reason (section 6 checks, unknown or revoked peers). */
  droppedFrames(): Record<string, number> {
    return Object.fromEntries(this.dropped);
  }

  /**
   * Connects to `url` (after disconnecting from any other): loads the paired
   * devices into a fresh endpoint and starts the gateway client.
   */
  async connect(url: string): Promise<void> {
    await this.disconnect();
    const { options } = this;
    const gateway = new GatewayClient({
      url,
      identity: options.identity,
      socketFactory: options.socketFactory ?? wsSocketFactory,
      outbox: options.store.outbox,
      settings: options.gateway,
      client: { name: "neural-link-hub", version: options.version },
      log: this.log,
    });
    const endpoint = new Endpoint({ gateway, identity: options.identity, seen: options.store.seenFrames, log: this.log });
    for (const d of await options.store.devices.list()) endpoint.peers.set(d.id, b64uDecode(d.boxPublicKey));
    const offs = [
      gateway.on("state", (s) => this.events.emit("status", s)),
      gateway.on("ready", (r) => void this.onReady(gateway, r.resumed, r.peersOnline)),
      gateway.on("presence", (p) => this.events.emit("presence", p)),
      gateway.on("pairRequest", (p) => this.events.emit("pairRequest", p)),
      endpoint.on("dropped", (d) => this.dropped.set(d.reason, (this.dropped.get(d.reason) ?? 0) + 1)),
      endpoint.on("message", (m) => {
        this.events.emit("message", m);
        options.store.devices.touchLastSeen(m.from).catch((err: unknown) => this.log.warn({ err }, "lastSeen update failed"));
      }),
    ];
    this.current = { gateway, endpoint, offs };
    this.url = url;
    gateway.start();
    clearInterval(this.sweepTimer);
    this.sweepTimer = setInterval(() => {
      options.store.seenFrames.sweep(Date.now()).catch((err: unknown) => this.log.warn({ err }, "seen-id sweep failed"));
    }, options.seenSweepIntervalMs ?? HOUR);
    this.sweepTimer.unref();
    this.log.info({ url }, "connecting to the relay");
  }

  async disconnect(): Promise<void> {
    clearInterval(this.sweepTimer);
    const c = this.current;
    if (!c) return;
    this.current = null;
    this.url = null;
    // Let frames already received finish their handling before anything closes under them.
    await c.endpoint.idle();
    c.gateway.stop();
    for (const off of c.offs) off();
    c.endpoint.dispose();
    this.events.emit("status", c.gateway.status);
  }

  isOnline(device: string): boolean {
    return this.current?.gateway.peersOnline().includes(device) ?? false;
  }

  /** A newly paired device: its frames are accepted from now on, and the relay lets it write to us. */
  async addPeer(device: string, boxPublicKey: Uint8Array): Promise<void> {
    this.pendingRevokes.delete(device);
    if (!this.current) return;
    this.current.endpoint.peers.set(device, boxPublicKey);
    if (this.current.gateway.status.state === "online") await this.current.gateway.grant(device);
  }

  /** A revoked device: its frames are dropped at once; the relay is told now, or on the next session. */
  async removePeer(device: string): Promise<void> {
    this.pendingRevokes.add(device);
    if (!this.current) return;
    this.current.endpoint.peers.delete(device);
    if (this.current.gateway.status.state !== "online") return;
    await this.current.gateway.revoke(device);
    this.pendingRevokes.delete(device);
  }

  /** Seals and sends; async so that "not connected" is a rejection, never a throw inside an event callback. */
  async send(to: string, t: string, d: unknown, qos: 0 | 1, opts: { confirm?: boolean } = {}): Promise<{ id: string; outcome: SendOutcome }> {
    return this.endpoint.send(to, t, d, qos, opts);
  }

  private async onReady(gateway: GatewayClient, resumed: boolean, peersOnline: string[]): Promise<void> {
    for (const device of peersOnline) this.events.emit("presence", { device, online: true });
    if (resumed) return;
    try {
      for (const device of [...this.pendingRevokes]) {
        await gateway.revoke(device);
        this.pendingRevokes.delete(device);
      }
      // Devices revoked while no hub ran (`npm run hub -- devices revoke`): the relay learns it now. REVOKE is idempotent.
      for (const d of await this.options.store.devices.list({ includeRevoked: true })) if (d.revokedAt !== null) await gateway.revoke(d.id);
      const devices = await this.options.store.devices.list();
      await Promise.all(devices.map((d) => gateway.grant(d.id)));
      this.log.info({ devices: devices.length }, "grants renewed");
    } catch (err) {
      this.log.warn({ err: String(err) }, "could not renew grants; will retry on the next session");
    }
  }
}
