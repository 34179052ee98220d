import { mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { GatewayStatus, SocketFactory } from "@neural-link/shared/client";
import { type Identity, secretboxBackend } from "@neural-link/shared/crypto";
import { pino, type Logger } from "pino";
import QRCode from "qrcode";
import type {
  AuditEntry,
  Capability,
  Conversation,
  DeviceInfo,
  DeviceRiskPolicy,
  FileSettingsView,
  NotesMessage,
  HubApi,
  HubEventName,
  HubEvents,
  HubStatus,
  Message,
  PairingInvite,
  SetupParams,
  Settings,
  Task,
  TerminalInfo,
  TerminalSnapshot,
  Unsubscribe,
  WorkspaceGrant,
  PushSettingsInfo,
} from "./api";
import type { Favorite, FileTransfer, HistoryEntry } from "@neural-link/shared/app";
import { DESKTOP_ACTOR } from "./audit-log";
import { fileApi } from "./files";
import type { ExecutorSettings } from "./executor/settings";
import { HubError } from "./hub-error";
import type { HubNodeEvents, HubQuestion } from "./hub-events";
import type { NotesService } from "./notes/notes-service";
import { startHubNotes } from "./notes/hub-notes";
import { buildServices, type HubServices } from "./hub-services";
import type { FlowBudget } from "./terminals/output-flow";
import { desktopScreen } from "./terminals/terminal-service";
import { HUB_DEFAULTS, HUB_VERSION, type HubSettings } from "./hub-settings";
import { loadOrCreateIdentity } from "./identity";
import { RelayConnector } from "./relay-connector";
import { toHubError } from "./rpc/rpc-errors";
import { type ApprovalsMode, openStore, type Store, type TaskRecord } from "./store";
import { detectSandbox } from "./sandbox";
import { toUiTask } from "./tasks/ui-task";
import type { RememberedApproval, SandboxStatus } from "./tasks";

export interface HubNodeConfig {
  /** Where the hub keeps its database, identity and embedded relay. Created 0700 if missing. */
  dataDir: string;
  /** "embedded" or a relay URL; stored, so later starts keep it. Default: what the data dir has (embedded at first). */
  relay?: "embedded" | string;
  /**
   * Forget the relay ids trusted on first use (`--forget-relay`): the next READY of each relay URL is trusted afresh.
   */
  forgetRelay?: boolean;
  /** The hub's name; stored. Without one (and none stored), `setup` must run before the hub connects. */
  name?: string;
  /** A name to store only when none is stored yet (the headless CLI passes the host name). */
  defaultName?: string;
  approvals?: ApprovalsMode;
  /** Embedded relay listening address, port and the URL phones should use. */
  embedded?: { host?: string; port?: number; publicUrl?: string };
  settings?: Partial<HubSettings>;
  executor?: Partial<ExecutorSettings>;
  log?: Logger;
  /** Tests only: another transport. */
  socketFactory?: SocketFactory;
  /** The OS sandbox to use; default: detected once at start (`detectSandbox`). Tests pass an unavailable one. */
  sandbox?: SandboxStatus;
}

/** The QR code of an invite: terminal art for the headless CLI, SVG for the UI. */
export function pairingQr(uri: string, type: "terminal" | "svg"): Promise<string> {
  return type === "terminal"
    ? QRCode.toString(uri, { type: "terminal", small: true })
    : QRCode.toString(uri, { type: "svg", margin: 1 });
}

/**
 * The desktop hub: store, identity, relay link, pairing, devices, messages,
 * tasks and terminals, composed from a config. Its public methods are the
 * HubApi the desktop UI calls (over IPC or the web bridge); the Electron app
 * and `npm run hub` both host it.
 *
 * @example
 *   const hub = await HubNode.start({ dataDir, name: "Studio" });
 *   hub.on("question", (q) => ...);
 *   const invite = await hub.startPairing();
 */
export class HubNode implements HubApi {
  private readonly log: Logger;
  private readonly relay: RelayConnector;

  private constructor(
    config: HubNodeConfig,
    settings: HubSettings,
    readonly store: Store,
    readonly identity: Identity,
    private readonly s: HubServices,
    log: Logger,
  ) {
    this.log = log.child({ mod: "hub/node" });
    const e = config.embedded ?? {};
    this.relay = new RelayConnector({
      dataDir: config.dataDir,
      link: s.link,
      log,
      embedded: {
        host: e.host ?? settings.embeddedHost,
        port: e.port ?? settings.embeddedPort,
        ...(e.publicUrl ? { publicUrl: e.publicUrl } : {}),
      },
    });
    s.link.on("status", () => void this.announceStatus());
    s.link.on("presence", () => void this.announceStatus());
  }

  static async start(config: HubNodeConfig): Promise<HubNode> {
    const log = config.log ?? pino({ level: process.env.NLINK_LOG_LEVEL ?? "info" });
    const settings: HubSettings = { ...HUB_DEFAULTS, ...config.settings };
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    const store = await openStore({ file: join(config.dataDir, "hub.db"), log });
    try {
      const { identity } = await loadOrCreateIdentity({ dir: config.dataDir, log });
      if (config.name !== undefined) await store.settings.set("hubName", config.name);
      else if (config.defaultName !== undefined && (await store.settings.get("hubName")) === null)
        await store.settings.set("hubName", config.defaultName);
      if (config.relay !== undefined)
        await store.settings.set("relayUrl", config.relay === "embedded" ? null : config.relay);
      if (config.forgetRelay) await store.settings.set("trustedRelayIds", {});
      if (config.approvals !== undefined) await store.settings.set("approvals", config.approvals);
      const stored = await store.settings.getAll();
      if (secretboxBackend !== "libsodium")
        log.warn({}, "sodium-native did not load: envelopes are sealed in JavaScript, several times slower");
      // Once per start: which sandbox low-risk device commands run in, if any (docs/risk-policy.md).
      const sandbox = config.sandbox ?? (await detectSandbox({ log }));
      let node: HubNode | null = null;
      const services = buildServices({
        store,
        identity,
        log,
        settings,
        approvals: stored.approvals,
        dataDir: config.dataDir,
        sandbox,
        ...(config.executor ? { executor: config.executor } : {}),
        ...(config.socketFactory ? { socketFactory: config.socketFactory } : {}),
        name: () => node?.name ?? hostname(),
        publicRelayUrl: () => node?.publicRelayUrl() ?? "",
      });
      node = new HubNode(config, settings, store, identity, services, log);
      node.name = stored.hubName;
      node.relayUrl = stored.relayUrl;
      // Shared documents (docs/notes.md): opened before the link connects, so no notes.* frame is missed.
      node.notes = await startHubNotes({ store, link: services.link, log, name: () => node?.name ?? hostname() });
      // The desktop UI's notes pad is one more peer of the documents, reached over the UI transport.
      node.uiNotes = node.notes.service.connectLocal("ui", (t, d) => services.events.emit("notes.message", { t, d }));
      if (node.name !== null) await node.relay.connect(node.relayUrl);
      // After the link exists, so each task settled here reaches its phone as task.updated
      // (queued in the outbox until the relay answers); tasks started meanwhile are left alone.
      await services.tasks.recover();
      return node;
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  private name: string | null = null;
  private relayUrl: string | null = null;
  private notes: Awaited<ReturnType<typeof startHubNotes>> | null = null;
  private uiNotes: ReturnType<NotesService["connectLocal"]> | null = null;

  get device(): string {
    return this.s.link.device;
  }

  /** Frames the hub refused since start, by reason: for diagnostics and tests. */
  droppedFrames(): Record<string, number> {
    return this.s.link.droppedFrames();
  }

  /** Resolves once the hub is connected to its relay. */
  async whenOnline(): Promise<void> {
    return this.s.link.gateway.whenOnline();
  }

  /** Stops everything: tasks end as failed, terminals close, the link and relay shut, the store closes. */
  async stop(): Promise<void> {
    // Stopping goes on whatever happens to the pairing window: a relay that is already gone cannot hear its close.
    await this.s.pairing
      .cancel()
      .catch((err: unknown) => this.log.warn({ err: String(err) }, "pairing window not closed cleanly at stop"));
    await this.s.tasks.shutdown();
    await this.s.terminals.closeAll();
    // Partial uploads stay on disk to be resumed; only their files are closed.
    await this.s.files.stop();
    this.uiNotes?.close();
    await this.notes?.stop();
    await this.relay.close();
    await this.store.close();
  }

  on<K extends HubEventName>(event: K, listener: (payload: HubEvents[K]) => void): Unsubscribe {
    return this.s.events.on(event, listener);
  }

  /** Questions for the person at the desktop: pairing confirmations and approvals. */
  onQuestion(listener: (q: HubQuestion) => void): Unsubscribe {
    return this.s.events.on("question" satisfies keyof HubNodeEvents, listener);
  }

  /** Every state change of the relay link, with why the last attempt failed: the CLI reports them. */
  onRelayLink(listener: (s: GatewayStatus & { url: string | null }) => void): Unsubscribe {
    return this.s.link.on("status", (s) => listener({ ...s, url: this.s.link.status.url }));
  }

  /** The rates terminal output to phones may use now, following the relay's announced limits (docs/hub.md). */
  terminalBudget(): FlowBudget {
    return this.s.terminals.budget();
  }

  publicRelayUrl(): string {
    return this.relay.publicUrl() ?? "";
  }

  /** Where a phone can open the app, when the relay serves it. */
  phoneAppUrl(): string | null {
    return this.relay.phoneAppUrl();
  }

  async getStatus(): Promise<HubStatus> {
    const devices = await this.s.devices.list();
    const waiting = (await this.store.tasks.list({ limit: 500 })).filter((t) => t.state === "awaiting_approval").length;
    const link = this.s.link.status;
    return {
      setupDone: this.name !== null,
      device: this.name !== null ? this.device : null,
      name: this.name,
      version: HUB_VERSION,
      relay: {
        mode: this.relayUrl === null ? "embedded" : "url",
        url: this.relay.publicUrl(),
        connected: link.state === "online",
      },
      devicesPaired: devices.length,
      devicesOnline: devices.filter((d) => d.online).length,
      approvalsWaiting: waiting,
      sandbox: this.s.tasks.sandbox,
      phoneAppUrl: this.phoneAppUrl(),
    };
  }

  async setup(p: SetupParams): Promise<HubStatus> {
    return this.guard(async () => {
      await this.store.settings.set("hubName", p.name.trim());
      await this.store.settings.set("relayUrl", p.relay.mode === "embedded" ? null : p.relay.url);
      this.name = p.name.trim();
      this.relayUrl = p.relay.mode === "embedded" ? null : p.relay.url;
      await this.s.audit.record(DESKTOP_ACTOR, "hub.setup", undefined, { name: this.name, relay: p.relay.mode });
      await this.relay.connect(this.relayUrl);
      return this.getStatus();
    });
  }

  startPairing(): Promise<PairingInvite> {
    return this.guard(async () => {
      const invite = await this.s.pairing.start();
      // Beyond the contract: an SVG the UI may show as is.
      return {
        uri: invite.uri,
        rendezvous: invite.rendezvous,
        expiresAt: invite.expiresAt,
        qrSvg: await pairingQr(invite.uri, "svg"),
      };
    });
  }

  cancelPairing(): Promise<void> {
    return this.guard(() => this.s.pairing.cancel());
  }

  answerPairing(p: { requestId: string; accept: boolean }): Promise<void> {
    return this.guard(() => this.s.pairing.answer(p.requestId, p.accept));
  }

  listDevices(): Promise<DeviceInfo[]> {
    return this.guard(() => this.s.devices.list());
  }

  renameDevice(p: { device: string; name: string }): Promise<DeviceInfo> {
    return this.guard(() => this.s.devices.rename(p.device, p.name));
  }

  revokeDevice(p: { device: string }): Promise<void> {
    return this.guard(() => this.s.devices.revoke(p.device));
  }

  setDeviceCaps(p: { device: string; caps: Capability[] }): Promise<DeviceInfo> {
    return this.guard(() => this.s.devices.setCaps(p.device, p.caps));
  }

  setDevicePolicy(p: { device: string; policy: DeviceRiskPolicy }): Promise<DeviceInfo> {
    return this.guard(() => this.s.devices.setPolicy(p.device, p.policy));
  }

  listConversations(): Promise<Conversation[]> {
    return this.guard(() => this.s.messages.conversations());
  }

  listMessages(p: { conversation: string; before?: number; limit?: number }): Promise<Message[]> {
    return this.guard(() => this.s.messages.listByTime(p.conversation, p.before, p.limit));
  }

  sendMessage(p: { text: string; conversation?: string }): Promise<Message> {
    return this.guard(() => this.s.messages.send(DESKTOP_ACTOR, p.text, p.conversation));
  }

  searchMessages(p: { query: string; limit?: number }): Promise<Message[]> {
    return this.guard(() => this.s.messages.search(p.query, p.limit));
  }

  listTasks(p: { limit?: number }): Promise<Task[]> {
    return this.guard(async () => {
      const list = await this.s.tasks.list({ limit: p.limit ?? 50 });
      return Promise.all(list.map(async (t) => this.ui(t)));
    });
  }

  listFavorites(): Promise<Favorite[]> {
    return this.guard(() => this.s.favorites.listFavorites());
  }

  saveFavorite(p: { command: string; cwd?: string; label?: string }): Promise<Favorite> {
    return this.guard(() => this.s.favorites.saveFavorite(DESKTOP_ACTOR, p));
  }

  removeFavorite(p: { id: string }): Promise<void> {
    return this.guard(() => this.s.favorites.removeFavorite(DESKTOP_ACTOR, p.id));
  }

  listCommandHistory(p: { limit?: number }): Promise<HistoryEntry[]> {
    return this.guard(() => this.s.favorites.listHistory(DESKTOP_ACTOR, p.limit ?? 50));
  }

  forgetCommandHistory(p: { id: string }): Promise<void> {
    return this.guard(() => this.s.favorites.removeHistory(DESKTOP_ACTOR, p.id));
  }

  runTask(p: { command: string; cwd?: string; timeout_ms?: number }): Promise<Task> {
    return this.guard(async () => {
      const t = await this.s.tasks.run({
        command: p.command,
        requestedBy: DESKTOP_ACTOR,
        ...(p.cwd ? { cwd: p.cwd } : {}),
        ...(p.timeout_ms ? { timeoutMs: p.timeout_ms } : {}),
      });
      return this.ui(t);
    });
  }

  approveTask(p: { task: string; approve: boolean; remember?: "once" | "today" }): Promise<Task> {
    return this.guard(async () => {
      const t = await this.s.tasks.approve({
        task: p.task,
        approve: p.approve,
        by: DESKTOP_ACTOR,
        ...(p.remember ? { remember: p.remember } : {}),
      });
      return this.ui(t);
    });
  }

  getTask(p: { task: string }): Promise<Task> {
    return this.guard(async () => {
      const t = await this.s.tasks.get(p.task);
      return this.ui(t);
    });
  }

  cancelTask(p: { task: string }): Promise<Task> {
    return this.guard(async () => {
      const t = await this.s.tasks.cancel({ task: p.task, by: DESKTOP_ACTOR });
      return this.ui(t);
    });
  }

  escalateTask(p: { task: string }): Promise<Task> {
    return this.guard(async () => {
      const t = await this.s.tasks.escalate({ task: p.task, by: DESKTOP_ACTOR });
      return this.ui(t);
    });
  }

  /** Approvals remembered "for today" still in force (docs/risk-policy.md). */
  listRememberedApprovals(): Promise<RememberedApproval[]> {
    return this.guard(() => this.s.tasks.listRemembered());
  }

  /** Forgets one remembered approval, or every one of a device when `digest` is omitted. */
  forgetRememberedApproval(p: { device: string; digest?: string }): Promise<void> {
    return this.guard(async () => {
      await this.s.tasks.forgetRemembered({
        device: p.device,
        ...(p.digest ? { digest: p.digest } : {}),
        by: DESKTOP_ACTOR,
      });
    });
  }

  /** The OS sandbox device commands run in (`available: false`: every command asks). */
  sandboxStatus(): SandboxStatus {
    return this.s.tasks.sandbox;
  }

  listWorkspaceGrants(p: { device?: string }): Promise<WorkspaceGrant[]> {
    return this.guard(() => this.s.grants.list(p.device));
  }

  /** Desktop only: phones have no RPC method for it (docs/risk-policy.md, "Workspace grants"). */
  grantWorkspace(p: { device: string; path: string }): Promise<WorkspaceGrant> {
    return this.guard(() => this.s.grants.grant(p.device, p.path));
  }

  revokeWorkspace(p: { device: string; path: string }): Promise<void> {
    return this.guard(() => this.s.grants.revoke(p.device, p.path));
  }

  getPushSettings(p: { device: string }): Promise<PushSettingsInfo> {
    return this.guard(async () => {
      await this.s.devices.describe(p.device);
      return this.s.push.settingsOf(p.device);
    });
  }

  setPushSettings(p: { device: string; events: Partial<PushSettingsInfo["events"]> }): Promise<PushSettingsInfo> {
    return this.guard(async () => {
      await this.s.devices.describe(p.device);
      return this.s.push.settingsOf(p.device, p.events);
    });
  }

  /** Resolves with the task once it has ended (tests, the CLI). */
  async taskSettled(id: string): Promise<Task> {
    const t = await this.s.tasks.settled(id);
    return this.ui(t);
  }

  listTerminals(): Promise<TerminalInfo[]> {
    return this.guard(() =>
      Promise.all(
        this.s.terminals
          .list(DESKTOP_ACTOR)
          .map(async (t) => this.s.terminals.toUi(t, await this.s.devices.nameOf(t.owner))),
      ),
    );
  }

  openTerminal(p: { cols: number; rows: number; cwd?: string; screen?: string }): Promise<TerminalInfo> {
    return this.guard(async () => {
      const { screen, ...size } = p;
      const { id } = await this.s.terminals.open(DESKTOP_ACTOR, size, desktopScreen(screen));
      const info = this.s.terminals.list(DESKTOP_ACTOR).find((t) => t.id === id);
      if (!info) throw new HubError("internal", "the terminal exited at once");
      return this.s.terminals.toUi(info, "This desktop");
    });
  }

  terminalInput(p: { id: string; data: string; screen?: string }): Promise<void> {
    return this.guard(() => this.s.terminals.input(DESKTOP_ACTOR, p.id, p.data, desktopScreen(p.screen)));
  }

  resizeTerminal(p: { id: string; cols: number; rows: number; claim?: boolean; screen?: string }): Promise<void> {
    // The pty follows only the viewer holding the size; the UI hears the outcome as "terminal.resized".
    return this.guard(
      async () =>
        void (await this.s.terminals.resize(
          DESKTOP_ACTOR,
          p.id,
          p.cols,
          p.rows,
          p.claim === true,
          desktopScreen(p.screen),
        )),
    );
  }

  closeTerminal(p: { id: string }): Promise<void> {
    return this.guard(() => this.s.terminals.close(DESKTOP_ACTOR, p.id));
  }

  terminalSnapshot(p: { id: string }): Promise<TerminalSnapshot> {
    return this.guard(async () => {
      const s = this.s.terminals.snapshot(DESKTOP_ACTOR, p.id);
      const size = this.s.terminals.uiSize(p.id);
      return {
        id: s.id,
        data: s.data,
        seq: s.seq,
        ...(size ? { size: { cols: size.cols, rows: size.rows, by: size.by } } : {}),
      };
    });
  }

  listAudit(p: { before?: number; limit?: number }): Promise<AuditEntry[]> {
    return this.guard(() => this.s.audit.listForUi(p.before, p.limit));
  }

  getSettings(): Promise<Settings> {
    return this.guard(async () => {
      const all = await this.store.settings.getAll();
      return {
        name: all.hubName ?? "",
        relay: all.relayUrl === null ? { mode: "embedded" } : { mode: "url", url: all.relayUrl },
        approvals: all.approvals,
      };
    });
  }

  /**
   * Stores the settings, each applying at once: a new name or relay makes the
   * link reconnect; a new approvals mode governs the next approval decision,
   * including votes on tasks already waiting (their risk was judged by the
   * policy, which the mode does not change; only who must approve).
   */
  updateSettings(p: Partial<Settings>): Promise<Settings> {
    return this.guard(async () => {
      let reconnect = false;
      if (p.name !== undefined && p.name.trim() !== this.name) {
        await this.store.settings.set("hubName", p.name.trim());
        this.name = p.name.trim();
      }
      if (p.relay !== undefined) {
        const url = p.relay.mode === "embedded" ? null : p.relay.url;
        if (url !== this.relayUrl) {
          await this.store.settings.set("relayUrl", url);
          // A relay URL set anew starts fresh: its relay id is trusted again at the next READY.
          if (url !== null) await this.s.link.forgetRelay(url);
          this.relayUrl = url;
          reconnect = true;
        }
      }
      if (p.approvals !== undefined) {
        await this.store.settings.set("approvals", p.approvals);
        this.s.tasks.setApprovals(p.approvals);
      }
      await this.s.audit.record(DESKTOP_ACTOR, "settings.updated", undefined, { keys: Object.keys(p) });
      if (reconnect && this.name !== null) await this.relay.connect(this.relayUrl);
      await this.announceStatus();
      return this.getSettings();
    });
  }

  getFileSettings(): Promise<FileSettingsView> {
    return this.guard(() => fileApi(this.s.files, this.store, this.s.audit).getFileSettings());
  }

  updateFileSettings(p: Partial<FileSettingsView>): Promise<FileSettingsView> {
    return this.guard(() => fileApi(this.s.files, this.store, this.s.audit).updateFileSettings(p));
  }

  listFileTransfers(): Promise<FileTransfer[]> {
    return this.guard(() => fileApi(this.s.files, this.store, this.s.audit).listFileTransfers());
  }

  /** A message of the UI's document replica; refused ones are answered with a `notes.error` event, never thrown. */
  notesMessage(p: NotesMessage): Promise<void> {
    return this.guard(async () => {
      if (!this.uiNotes) throw new HubError("not_ready", "shared documents are not open");
      await this.uiNotes.receive(p.t, p.d);
    });
  }

  /** A task as the desktop UI shows it: the protocol's fields plus names, for one task. */
  private async ui(t: TaskRecord): Promise<Task> {
    return toUiTask(t, await this.s.devices.nameOf(t.requestedBy), await this.s.tasks.wire(t));
  }

  private async announceStatus(): Promise<void> {
    try {
      this.s.events.emit("status", await this.getStatus());
    } catch (err) {
      this.log.debug({ err: String(err) }, "status not announced");
    }
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toHubError(err);
    }
  }
}
