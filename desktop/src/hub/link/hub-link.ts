import type { Identity } from "@neural-link/shared/crypto";
import { b64uDecode, b64uEncode } from "@neural-link/shared/encoding";
import { AppType } from "@neural-link/shared/app";
import {
  Emitter,
  Endpoint,
  FrameTooLargeError,
  GATEWAY_CLIENT_DEFAULTS,
  GatewayClient,
  type GatewayClientSettings,
  GatewayReplyError,
  type GatewayStatus,
  type IncomingMessage,
  type MessageHandler,
  paceFor,
  type SendOutcome,
  sizeLimitsFor,
  type SocketFactory,
  type Unsubscribe,
  type WritePacerSettings,
} from "@neural-link/shared/client";
import { DEFAULT_ANNOUNCED_LIMITS, type PairRequestEvent } from "@neural-link/shared/protocol";
import type { Logger } from "pino";
import { HubError } from "../hub-error";
import type { Store } from "../store";
import { explainMismatch, RelayTrust } from "./relay-trust";
import { StoreSeenIds } from "./store-seen-ids";
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
/** How fresh a device's `last_seen` is kept while it sends (a write per frame cost ~0.1 ms of each keystroke). */
const LAST_SEEN_EVERY_MS = 10_000;

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
  private current: { gateway: GatewayClient; endpoint: Endpoint; seen: StoreSeenIds; offs: Unsubscribe[] } | null =
    null;
  /** When each device's `last_seen` was last written: at most once per LAST_SEEN_EVERY_MS, not per keystroke. */
  private readonly lastSeenWritten = new Map<string, number>();
  /** Handlers of message types whose handling commits with the frame's id (see `handle`). */
  private readonly handlers = new Map<string, MessageHandler>();
  private sweepTimer: ReturnType<typeof setInterval> | undefined;
  readonly device: string;

  constructor(private readonly options: HubLinkOptions) {
    this.log = options.log.child({ mod: "hub/link" });
    this.events = new Emitter(this.log);
    this.device = b64uEncode(options.identity.signPublicKey);
    this.trust = new RelayTrust(options.store.settings);
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
    return { ...this.explain(this.current.gateway.status), url: this.url };
  }

  private url: string | null = null;
  /** The relay id the current connection must meet (pinned or trusted on first use); null until known. */
  private expectedRelayId: string | null = null;
  private readonly trust: RelayTrust;
  private readonly dropped = new Map<string, number>();

  /** Frames dropped since start, by reason (docs/protocol.md section 8 checks, unknown or revoked peers). */
  droppedFrames(): Record<string, number> {
    return Object.fromEntries(this.dropped);
  }

  /**
   * Connects to `url` (after disconnecting from any other): loads the paired
   * devices into a fresh endpoint and starts the gateway client. The relay id
   * is checked before signing: `pinned.relayId` when the caller knows it (the
   * embedded relay), else the one this URL named at its first READY, stored then.
   * `via.socketFactory` replaces the link's own for this connection (the embedded relay's in-process one).
   */
  async connect(url: string, via: { relayId?: string; socketFactory?: SocketFactory } = {}): Promise<void> {
    await this.disconnect();
    const { options } = this;
    const pinnedId = via.relayId ?? null;
    this.expectedRelayId = pinnedId ?? (await this.trust.trusted(url));
    const gateway = new GatewayClient({
      expectedRelayId: () => this.expectedRelayId,
      url,
      identity: options.identity,
      socketFactory: via.socketFactory ?? options.socketFactory ?? wsSocketFactory,
      // SEND / FRAME as binary messages when the relay grants it; JSON with an older relay (docs/protocol.md section
      // 5).
      binaryFrames: true,
      outbox: options.store.outbox,
      settings: options.gateway,
      client: { name: "neural-link-hub", version: options.version },
      log: this.log,
    });
    const seen = new StoreSeenIds(options.store, this.log);
    const endpoint = new Endpoint({
      gateway,
      identity: options.identity,
      seen,
      handler: (m) => this.handlers.get(m.t)?.(m) ?? Promise.resolve(),
      log: this.log,
    });
    for (const d of await options.store.devices.list()) endpoint.peers.set(d.id, b64uDecode(d.boxPublicKey));
    const offs = [
      gateway.on("state", (s) => this.events.emit("status", this.explain(s))),
      gateway.on("ready", (r) => {
        if (pinnedId === null && this.expectedRelayId === null) this.trustFirst(url, r.relayId);
        void this.onReady(gateway, r.resumed, r.peersOnline);
      }),
      gateway.on("presence", (p) => this.events.emit("presence", p)),
      gateway.on("pairRequest", (p) => this.events.emit("pairRequest", p)),
      gateway.on("outboxDropped", (d) =>
        this.log.warn({ frame: d.id, reason: d.reason }, "an outbox frame was dropped undelivered"),
      ),
      endpoint.on("dropped", (d) => this.dropped.set(d.reason, (this.dropped.get(d.reason) ?? 0) + 1)),
      endpoint.on("message", (m) => {
        this.events.emit("message", m);
        this.touchLastSeen(m.from);
      }),
    ];
    this.current = { gateway, endpoint, seen, offs };
    this.url = url;
    gateway.start();
    clearInterval(this.sweepTimer);
    this.sweepTimer = setInterval(() => {
      options.store.seenFrames
        .sweep(Date.now())
        .catch((err: unknown) => this.log.warn({ err }, "seen-id sweep failed"));
    }, options.seenSweepIntervalMs ?? HOUR);
    this.sweepTimer.unref();
    this.log.info({ url }, "connecting to the relay");
  }

  private touchLastSeen(device: string): void {
    const now = Date.now();
    if (now - (this.lastSeenWritten.get(device) ?? 0) < LAST_SEEN_EVERY_MS) return;
    this.lastSeenWritten.set(device, now);
    this.options.store.devices
      .touchLastSeen(device, now)
      .catch((err: unknown) => this.log.warn({ err }, "lastSeen update failed"));
  }

  /** Trust on first use: the id of the first READY at `url` is the one every later HELLO there must name. */
  private trustFirst(url: string, relayId: string): void {
    if (relayId === "") return;
    this.expectedRelayId = relayId;
    this.log.info({ url, relayId }, "trusting this relay id from now on");
    this.trust
      .remember(url, relayId)
      .catch((err: unknown) => this.log.warn({ err: String(err) }, "could not store the trusted relay id"));
  }

  private explain(status: GatewayStatus): GatewayStatus {
    return this.url === null ? status : explainMismatch(status, this.url, this.expectedRelayId);
  }

  /** Forgets the relay id trusted for `url` (or every URL): the next READY there is trusted afresh. */
  forgetRelay(url?: string): Promise<void> {
    return this.trust.forget(url);
  }

  async disconnect(): Promise<void> {
    clearInterval(this.sweepTimer);
    const c = this.current;
    if (!c) return;
    this.current = null;
    this.url = null;
    // Let frames already received finish their handling before anything closes under them.
    await c.endpoint.idle();
    await c.seen.flush();
    c.gateway.stop();
    for (const off of c.offs) off();
    c.endpoint.dispose();
    this.events.emit("status", c.gateway.status);
  }

  /** Whether frames to and from `device` are sealed and opened now (a paired, unrevoked device). */
  isPeer(device: string): boolean {
    return this.current?.endpoint.peers.get(device) !== undefined;
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

  /**
   * Handles every message of type `t` as part of accepting its frame (see
   * shared's MessageHandler): what the handler returns runs in the same store
   * unit as the frame's id, and the frame is ACKed after that commit.
   */
  handle(t: string, handler: MessageHandler): void {
    this.handlers.set(t, handler);
  }

  /** The size limits of what the hub sends now (FrameTooLargeError past them). */
  limits(): { maxBodyBytes: number; maxMessageBytes: number } {
    return (
      this.current?.gateway.limits() ??
      sizeLimitsFor({ ...GATEWAY_CLIENT_DEFAULTS, ...this.options.gateway }, DEFAULT_ANNOUNCED_LIMITS)
    );
  }

  /**
   * The pace of the relay connection now (a share of what the relay's HELLO announced, docs/protocol.md
   * section 4): the terminal streams take their budget from it, so a faster relay makes them faster.
   */
  pace(): WritePacerSettings {
    return (
      this.current?.gateway.pace() ??
      paceFor({ ...GATEWAY_CLIENT_DEFAULTS, ...this.options.gateway }, DEFAULT_ANNOUNCED_LIMITS)
    );
  }

  /**
   * Seals and sends; async so that "not connected" is a rejection, never a throw inside an event callback.
   * Inside a store unit (the handling of a received frame) a qos 1 frame is written to the outbox
   * within the unit and leaves only after its commit, so an answer is never sent for work that
   * did not commit, and work that committed is answered even after a crash (the outbox is re-sent
   * on the next session). Every frame passes the size check here: an `rpc.result` too large for the
   * relay becomes an `rpc.error` `too_large` for the same call; any other frame too large is dropped
   * with a log line (outcome "dropped").
   */
  async send(
    to: string,
    t: string,
    d: unknown,
    qos: 0 | 1,
    opts: { confirm?: boolean } = {},
  ): Promise<{ id: string; outcome: SendOutcome }> {
    try {
      if (this.options.store.unit.inUnit()) return await this.sendAfterCommit(to, t, d, qos);
      return await this.endpoint.send(to, t, d, qos, opts);
    } catch (err) {
      const replaced = await this.tooLarge(err, to, t, d, qos);
      if (replaced) return replaced;
      throw err;
    }
  }

  private async sendAfterCommit(
    to: string,
    t: string,
    d: unknown,
    qos: 0 | 1,
  ): Promise<{ id: string; outcome: SendOutcome }> {
    const { store } = this.options;
    const frame = this.endpoint.seal(to, t, d, qos);
    if (qos === 1) {
      const put = store.outbox.put({ ...frame, createdAt: Date.now() });
      store.unit.track(put);
      await put;
    }
    store.unit.afterCommit(() => {
      if (!this.current) return; // Stopped: the outbox keeps it for the next start.
      // A qos 1 frame is in the outbox already: it was written within the unit.
      this.current.gateway.send(frame, { inOutbox: qos === 1 }).catch(async (err: unknown) => {
        if (await this.tooLarge(err, to, t, d, qos).catch(() => null)) return;
        this.log.warn(
          { err: String(err), t },
          "a frame queued by a committed unit was not sent now; the outbox keeps it",
        );
      });
    });
    return { id: frame.id, outcome: "queued" };
  }

  /**
   * A frame the size limits refuse: the caller of an `rpc` gets `too_large`; anything else is dropped with a log line.
   */
  private async tooLarge(
    err: unknown,
    to: string,
    t: string,
    d: unknown,
    qos: 0 | 1,
  ): Promise<{ id: string; outcome: SendOutcome } | null> {
    const refused = err instanceof FrameTooLargeError || (err instanceof GatewayReplyError && err.code === "too_large");
    if (!refused) return null;
    const bytes = err instanceof FrameTooLargeError ? err.bytes : undefined;
    if (t === AppType.RPC_RESULT) {
      const call = (d as { call?: unknown }).call;
      this.log.warn({ bytes, call }, "an rpc answer was too large for the relay; answering too_large");
      const limit = this.limits().maxBodyBytes;
      const message = `the answer would be ${bytes ?? "over"} bytes, more than the relay carries (${limit}); ask for fewer items (limit) or page with before`;
      return this.send(to, AppType.RPC_ERROR, { call, code: "too_large", message }, qos);
    }
    this.log.warn({ bytes, t }, "a frame was too large for the relay and was dropped");
    return { id: "", outcome: "dropped" };
  }

  private async onReady(gateway: GatewayClient, resumed: boolean, peersOnline: string[]): Promise<void> {
    for (const device of peersOnline) this.events.emit("presence", { device, online: true });
    if (resumed) return;
    try {
      for (const device of [...this.pendingRevokes]) {
        await gateway.revoke(device);
        this.pendingRevokes.delete(device);
      }
      // Devices revoked while no hub ran (`npm run hub -- devices revoke`): the relay learns it now. REVOKE is
      // idempotent.
      for (const d of await this.options.store.devices.list({ includeRevoked: true }))
        if (d.revokedAt !== null) await gateway.revoke(d.id);
      const devices = await this.options.store.devices.list();
      await Promise.all(devices.map((d) => gateway.grant(d.id)));
      this.log.info({ devices: devices.length }, "grants renewed");
    } catch (err) {
      this.log.warn({ err: String(err) }, "could not renew grants; will retry on the next session");
    }
  }
}
