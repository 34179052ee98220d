import { DEFAULT_PHONE_CAPS } from "@neural-link/shared/app";
import { DocName, docNameSchema, DocSyncError, DocSyncSession, NotesType, isNotesType } from "@neural-link/shared/sync";
import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import type {
  AuditEntry,
  Conversation,
  DeviceInfo,
  NotesMessage,
  HubApi,
  HubEventName,
  HubEvents,
  HubStatus,
  Message,
  PairingInvite,
  Settings,
  Task,
  TerminalInfo,
  RememberedApprovalInfo,
  WorkspaceGrant,
} from "../src/hub/api";
import { HubCallError } from "../src/hub/bridge/call-error";

type Listener = (payload: never) => void;

/**
 * An in-memory HubApi for testing the transports and the UI without the hub
 * core: it keeps real state (devices, messages, tasks, audit) and emits the
 * same events, but runs no commands and talks to no relay. Test code drives
 * the "phone" side with `simulatePairRequest` and `simulateApprovalRequest`.
 */
export class MemoryHub implements HubApi {
  private listeners = new Map<HubEventName, Set<Listener>>();
  private settings: Settings = { name: "", relay: { mode: "embedded" }, approvals: "both" };
  private setupDone = false;
  private devices = new Map<string, DeviceInfo>();
  private messages: Message[] = [];
  private tasks = new Map<string, Task>();
  private audit: AuditEntry[] = [];
  private pending = new Map<string, { device: string; name: string }>();
  private seq = 0;
  private now = 1_767_000_000_000;
  /** The shared notes in memory (no store): one server session with the UI, as the real hub's NotesService keeps. */
  readonly notes = new Y.Doc();
  private readonly notesAwareness = new Awareness(this.notes);
  private notesSession: DocSyncSession | null = null;

  private next(prefix: string): string {
    this.seq += 1;
    return `${prefix}${this.seq}`;
  }
  private tick(): number {
    this.now += 1000;
    return this.now;
  }
  private emit<K extends HubEventName>(event: K, payload: HubEvents[K]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (p: HubEvents[K]) => void)(payload);
  }
  private record(actor: string, action: string, detail: string): void {
    const name = actor === "desktop" ? "This desktop" : (this.devices.get(actor)?.name ?? actor);
    const entry: AuditEntry = { id: this.next("a"), ts: this.tick(), actor, actorName: name, action, detail };
    this.audit.unshift(entry);
    this.emit("audit", entry);
  }
  private device(id: string): DeviceInfo {
    const d = this.devices.get(id);
    if (!d) throw new HubCallError("not_found", `no device ${id}`);
    return d;
  }
  private deviceChanged(): void {
    this.emit("devices", [...this.devices.values()]);
    void this.getStatus().then((s) => this.emit("status", s));
  }

  on<K extends HubEventName>(event: K, listener: (payload: HubEvents[K]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set<Listener>();
    this.listeners.set(event, set);
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  async getStatus(): Promise<HubStatus> {
    const devs = [...this.devices.values()];
    return {
      setupDone: this.setupDone,
      device: this.setupDone ? "D".repeat(43) : null,
      name: this.setupDone ? this.settings.name : null,
      version: "0.1.0-test",
      relay: { mode: this.settings.relay.mode, url: this.settings.relay.mode === "url" ? this.settings.relay.url : null, connected: this.setupDone },
      devicesPaired: devs.length,
      devicesOnline: devs.filter((d) => d.online).length,
      approvalsWaiting: [...this.tasks.values()].filter((t) => t.state === "awaiting_approval").length,
    };
  }
  async setup(p: { name: string; relay: Settings["relay"] }): Promise<HubStatus> {
    this.settings = { ...this.settings, name: p.name, relay: p.relay };
    this.setupDone = true;
    this.record("desktop", "hub.setup", `name ${p.name}`);
    const s = await this.getStatus();
    this.emit("status", s);
    return s;
  }

  async startPairing(): Promise<PairingInvite> {
    const expiresAt = this.now + 300_000;
    const uri = `nlink://pair?v=1&r=${encodeURIComponent("ws://127.0.0.1:9/v1/gateway")}&d=${"D".repeat(43)}&b=${"B".repeat(43)}&t=${"T".repeat(22)}&e=${Math.floor(expiresAt / 1000)}&n=${encodeURIComponent(this.settings.name)}`;
    return { uri, rendezvous: "R".repeat(22), expiresAt: Date.now() + 300_000 };
  }
  async cancelPairing(): Promise<void> {}
  async answerPairing(p: { requestId: string; accept: boolean }): Promise<void> {
    const req = this.pending.get(p.requestId);
    if (!req) throw new HubCallError("not_found", "no such pairing request");
    this.pending.delete(p.requestId);
    if (!p.accept) {
      this.emit("pairing.done", { requestId: p.requestId, accepted: false, device: null, reason: "rejected on this desktop" });
      return;
    }
    const dev: DeviceInfo = { id: req.device, name: req.name, kind: "phone", online: true, caps: [...DEFAULT_PHONE_CAPS], policy: {}, pairedAt: this.tick(), lastSeen: this.now };
    this.devices.set(dev.id, dev);
    this.record("desktop", "device.paired", req.name);
    this.emit("pairing.done", { requestId: p.requestId, accepted: true, device: dev });
    this.deviceChanged();
  }
  /** Test driver: a phone's pair request arrives with this SAS. */
  simulatePairRequest(deviceName: string, sas: string): string {
    const requestId = this.next("pr");
    const device = `${"P".repeat(40)}${String(this.seq).padStart(3, "0")}`;
    this.pending.set(requestId, { device, name: deviceName });
    this.emit("pairing.request", { requestId, device, deviceName, kind: "phone", sas, expiresAt: Date.now() + 60_000 });
    return device;
  }

  async listDevices(): Promise<DeviceInfo[]> {
    return [...this.devices.values()];
  }
  async renameDevice(p: { device: string; name: string }): Promise<DeviceInfo> {
    const d = { ...this.device(p.device), name: p.name };
    this.devices.set(d.id, d);
    this.deviceChanged();
    return d;
  }
  async revokeDevice(p: { device: string }): Promise<void> {
    const d = this.device(p.device);
    this.devices.delete(d.id);
    this.record("desktop", "device.revoked", d.name);
    this.deviceChanged();
  }
  async setDeviceCaps(p: { device: string; caps: DeviceInfo["caps"] }): Promise<DeviceInfo> {
    const d = { ...this.device(p.device), caps: p.caps };
    this.devices.set(d.id, d);
    this.deviceChanged();
    return d;
  }
  async setDevicePolicy(p: { device: string; policy: DeviceInfo["policy"] }): Promise<DeviceInfo> {
    const d = { ...this.device(p.device), policy: p.policy };
    this.devices.set(d.id, d);
    this.deviceChanged();
    return d;
  }

  async listConversations(): Promise<Conversation[]> {
    const ids = [...new Set(this.messages.map((m) => m.conversation))];
    return ids.map((id) => {
      const ms = this.messages.filter((m) => m.conversation === id);
      const last = ms[ms.length - 1];
      return { id, title: id === "main" ? "Notes to self" : id, lastTs: last?.ts ?? null, lastText: last?.text ?? null, messageCount: ms.length };
    });
  }
  async listMessages(p: { conversation: string; before?: number; limit?: number }): Promise<Message[]> {
    const ms = this.messages.filter((m) => m.conversation === p.conversation && (p.before === undefined || m.ts < p.before));
    return ms.reverse().slice(0, p.limit ?? 50);
  }
  async sendMessage(p: { text: string; conversation?: string }, sender = "desktop"): Promise<Message> {
    const m: Message = { id: this.next("m"), conversation: p.conversation ?? "main", sender, ts: this.tick(), text: p.text };
    this.messages.push(m);
    this.emit("message", m);
    return m;
  }
  async searchMessages(p: { query: string; limit?: number }): Promise<Message[]> {
    const q = p.query.toLowerCase();
    return this.messages.filter((m) => m.text.toLowerCase().includes(q)).reverse().slice(0, p.limit ?? 50);
  }

  async listTasks(p: { limit?: number }): Promise<Task[]> {
    return [...this.tasks.values()].reverse().slice(0, p.limit ?? 50);
  }
  async runTask(p: { command: string }, requester = "desktop"): Promise<Task> {
    const high = /\brm\b|\bsudo\b/.test(p.command);
    const t: Task = {
      id: this.next("t"),
      command: p.command,
      risk: high ? "high" : "low",
      risk_reasons: high ? ["deletes files or gains privileges"] : [],
      state: high ? "awaiting_approval" : "done",
      requested_by: requester,
      requester_name: requester === "desktop" ? "This desktop" : (this.devices.get(requester)?.name ?? requester),
      created_at: this.tick(),
      ...(high ? {} : { exit_code: 0, output: `ran: ${p.command}\n`, started_at: this.now, ended_at: this.now }),
    };
    this.tasks.set(t.id, t);
    this.emit("task", t);
    if (high) this.emit("approval.request", t);
    return t;
  }
  async approveTask(p: { task: string; approve: boolean }): Promise<Task> {
    const t = await this.getTask({ task: p.task });
    if (t.state !== "awaiting_approval") throw new HubCallError("conflict", `task is ${t.state}`);
    const done: Task = p.approve
      ? { ...t, state: "done", exit_code: 0, output: `ran: ${t.command}\n`, started_at: this.tick(), ended_at: this.now }
      : { ...t, state: "rejected", ended_at: this.tick() };
    this.tasks.set(t.id, done);
    this.record("desktop", p.approve ? "task.approved" : "task.rejected", t.command);
    this.emit("task", done);
    return done;
  }
  // The safety features (cancel, escalation, workspace grants) are tested against the
  // real hub (hub-ui.test.ts); this in-memory hub only answers them plausibly.
  async cancelTask(p: { task: string }): Promise<Task> {
    const t = await this.getTask(p);
    if (t.state !== "awaiting_approval" && t.state !== "running") throw new HubCallError("conflict", `task is ${t.state}`);
    const done: Task = { ...t, state: "rejected", end_reason: "cancelled", ended_by: "desktop", ended_at: this.tick() };
    this.tasks.set(t.id, done);
    this.emit("task", done);
    return done;
  }
  async escalateTask(p: { task: string }): Promise<Task> {
    await this.getTask(p);
    throw new HubCallError("conflict", "the in-memory hub runs no sandbox, so there is nothing to escalate");
  }
  async listWorkspaceGrants(): Promise<WorkspaceGrant[]> {
    return [];
  }
  async grantWorkspace(): Promise<WorkspaceGrant> {
    throw new HubCallError("conflict", "the in-memory hub grants no folders");
  }
  async revokeWorkspace(p: { device: string; path: string }): Promise<void> {
    throw new HubCallError("not_found", `${p.path} is not granted to this device`);
  }
  async listRememberedApprovals(): Promise<RememberedApprovalInfo[]> {
    return [];
  }
  async forgetRememberedApproval(): Promise<void> {}
  async getTask(p: { task: string }): Promise<Task> {
    const t = this.tasks.get(p.task);
    if (!t) throw new HubCallError("not_found", `no task ${p.task}`);
    return t;
  }

  // Terminals need a pty; the memory hub has none and says so.
  async listTerminals(): Promise<TerminalInfo[]> {
    return [];
  }
  async openTerminal(): Promise<TerminalInfo> {
    throw new HubCallError("not_ready", "terminals need the real hub");
  }
  async terminalInput(): Promise<void> {}
  async resizeTerminal(): Promise<void> {}
  async closeTerminal(): Promise<void> {}
  async terminalSnapshot(p: { id: string }): Promise<{ id: string; data: string; seq: number }> {
    throw new HubCallError("not_found", `no terminal ${p.id}`);
  }

  async listAudit(p: { before?: number; limit?: number }): Promise<AuditEntry[]> {
    return this.audit.filter((a) => p.before === undefined || a.ts < p.before).slice(0, p.limit ?? 100);
  }
  async getSettings(): Promise<Settings> {
    return this.settings;
  }
  async updateSettings(p: Partial<Settings>): Promise<Settings> {
    this.settings = { ...this.settings, ...p };
    this.record("desktop", "settings.updated", Object.keys(p).join(", "));
    return this.settings;
  }

  /** Files: the settings only; this in-memory hub has no phones to send files. */
  private fileSettings = { landingDir: "/home/me/Downloads/Neural Link", maxFileBytes: 2 * 1024 ** 3 };
  async getFileSettings(): Promise<{ landingDir: string; maxFileBytes: number }> {
    return this.fileSettings;
  }
  async updateFileSettings(p: Partial<{ landingDir: string; maxFileBytes: number }>): Promise<{ landingDir: string; maxFileBytes: number }> {
    this.fileSettings = { ...this.fileSettings, ...p };
    this.record("desktop", "settings.updated", Object.keys(p).join(", "));
    return this.fileSettings;
  }
  async listFileTransfers(): Promise<[]> {
    return [];
  }

  async notesMessage(p: NotesMessage): Promise<void> {
    const doc = docNameSchema.safeParse((p.d as { doc?: unknown } | null)?.doc);
    const name = doc.success ? doc.data : DocName.NOTES;
    try {
      if (!isNotesType(p.t)) throw new DocSyncError("bad_message", "not a document message type");
      if (name !== DocName.NOTES) throw new DocSyncError("unknown_doc", `this hub does not serve ${name}`);
      if (p.t === NotesType.ERROR) return;
      if (!this.notesSession) {
        this.notesSession = new DocSyncSession({
          name: DocName.NOTES,
          doc: this.notes,
          awareness: this.notesAwareness,
          role: "server",
          send: (t, d) => this.emit("notes.message", { t, d }),
        });
        this.notesSession.start();
      }
      this.notesSession.receive(p.t, p.d);
    } catch (err) {
      const code = err instanceof DocSyncError ? err.code : "internal";
      this.emit("notes.message", { t: NotesType.ERROR, d: { doc: name, code, message: (err as Error).message.slice(0, 200) } });
    }
  }
}
