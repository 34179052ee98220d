import { resultBudget } from "@neural-link/shared/app";
import type { SocketFactory } from "@neural-link/shared/client";
import type { Identity } from "@neural-link/shared/crypto";
import type { Logger } from "pino";
import { AuditLog } from "./audit-log";
import { DeviceService } from "./devices/device-service";
import { FavoritesService } from "./favorites/favorites-service";
import { WorkspaceGrants } from "./devices/workspace-grants";
import type { ExecutorSettings } from "./executor/settings";
import { TerminalManager } from "./terminals/pty-terminals";
import { HubEmitter } from "./hub-events";
import { HUB_VERSION, type HubSettings } from "./hub-settings";
import { HubLink } from "./link/hub-link";
import { MessageService } from "./messages/message-service";
import { PairingService } from "./pairing/pairing-service";
import { buildHandlers } from "./rpc/handlers";
import { RpcRouter } from "./rpc/rpc-router";
import type { ApprovalsMode, Store } from "./store";
import { TaskPushes } from "./tasks/task-pushes";
import { buildFileHandlers, copyCommand, FileService } from "./files";
import { FileTransfersRepo } from "./store/file-transfers-repo";
import { PushNotifier, pushHandlers, PushService } from "./push";
import type { SandboxStatus } from "./tasks/ports";
import { TaskService } from "./tasks/task-service";
import { serveTerminalFlow } from "./terminals/flow-messages";
import { TerminalService } from "./terminals/terminal-service";

export interface ServiceDeps {
  store: Store;
  identity: Identity;
  log: Logger;
  settings: HubSettings;
  approvals: ApprovalsMode;
  executor?: Partial<ExecutorSettings>;
  socketFactory?: SocketFactory;
  /** The hub's data directory: never grantable as a workspace folder, and hidden from sandboxed tasks. */
  dataDir: string;
  /** The OS sandbox detected at start; without one every device command asks (docs/risk-policy.md). */
  sandbox?: SandboxStatus;
  /** The hub's current name. */
  name(): string;
  /** The relay URL a phone can reach, for QR codes. */
  publicRelayUrl(): string;
}

/** Every service of a running hub, wired to each other. */
export interface HubServices {
  events: HubEmitter;
  audit: AuditLog;
  link: HubLink;
  devices: DeviceService;
  /** Folders writable in a device's sandboxed tasks (desktop-granted). */
  grants: WorkspaceGrants;
  messages: MessageService;
  tasks: TaskService;
  terminals: TerminalService;
  pairing: PairingService;
  /** Saved commands and the history of commands run. */
  favorites: FavoritesService;
  /** Files both ways: landing folder uploads, downloads within the read rules (files/). */
  files: FileService;
  /** Web Push to phones: subscriptions, settings, sending (push/). */
  push: PushService;
}

/**
 * Builds the hub's services over an open store and identity. Nothing here
 * connects yet: the caller points `link` at a relay when one is configured.
 */
export function buildServices(deps: ServiceDeps): HubServices {
  const { store, log, settings } = deps;
  const events = new HubEmitter(log.child({ mod: "hub/events" }));
  const audit = new AuditLog(store, events, log.child({ mod: "hub/audit" }));
  const link = new HubLink({
    identity: deps.identity,
    store,
    log,
    version: HUB_VERSION,
    gateway: settings.gateway,
    ...(deps.socketFactory ? { socketFactory: deps.socketFactory } : {}),
  });
  const devices = new DeviceService(store, link, audit, events, log);
  const grants = new WorkspaceGrants({ store, audit, events, log, rules: { dataDir: deps.dataDir } });
  const chatters = async () => (await store.devices.list()).filter((d) => d.caps.includes("chat")).map((d) => d.id);
  const messages = new MessageService(store, link, events, chatters, log);
  messages.hubName = deps.name;
  const terminals = new TerminalService(
    new TerminalManager({ log, ...(deps.executor ? { settings: deps.executor } : {}) }),
    link,
    events,
    audit,
    log,
    settings.snapshotMaxChars,
    settings.termStream,
  );
  const tasks = new TaskService({
    tasks: store.tasks,
    // Through the audit log, so the UI hears about task actions too.
    audit: { append: (e) => audit.record(e.actor, e.action, e.subject, e.detail) },
    policyFor: async (device) =>
      device === "desktop" ? store.settings.get("defaultRiskPolicy") : devices.policyOf(device),
    settings: { approvals: deps.approvals, approvalTtlMs: settings.approvalTtlMs },
    ...(deps.sandbox ? { sandbox: deps.sandbox } : {}),
    hidden: [deps.dataDir],
    workspaceFor: (device) => grants.workspaceFor(device),
    remembered: store.rememberedApprovals,
    terminals: { open: (req) => terminals.openApproved(req) },
    // One query for every name a page of tasks needs (no lookup per task).
    namesOf: async () => {
      const names = new Map((await store.devices.list({ includeRevoked: true })).map((d) => [d.id, d.name] as const));
      names.set("desktop", "This desktop");
      return names;
    },
    ...(deps.executor ? { executor: deps.executor } : {}),
    log,
  });
  const revokeLog = log.child({ mod: "hub/revoke" });
  devices.onRevoked = (device) => {
    void terminals.closeOwnedBy(device);
    // A revoked device keeps no write access anywhere, even if it is paired again.
    void grants.revokeAll(device);
    // Its waiting tasks can no longer be answered: an unanswerable approval is a denial.
    void tasks
      .deviceRevoked(device)
      .catch((err: unknown) =>
        revokeLog.error({ device, err: String(err) }, "waiting tasks of a revoked device not rejected"),
      );
    // Its push subscription and settings go with it.
    void push
      .forget(device)
      .catch((err: unknown) =>
        revokeLog.error({ device, err: String(err) }, "push subscription of a revoked device not forgotten"),
      );
  };
  new TaskPushes(tasks, link, devices, events, log);
  const push = new PushService(store, devices, link, settings.push, log);
  new PushNotifier({
    push,
    tasks,
    events,
    devices,
    store,
    hub: () => ({ hub: link.device, hub_name: deps.name() }),
    log,
  });
  const favorites = new FavoritesService({
    store,
    tasks,
    pairedSince: async (device) => (await store.devices.get(device))?.pairedAt,
    audit,
    log,
    settings: settings.favorites,
  });
  const pairing = new PairingService({
    link,
    identity: deps.identity,
    store,
    audit,
    events,
    log,
    name: deps.name,
    relayUrl: deps.publicRelayUrl,
    defaultCaps: () => settings.defaultCaps,
    ttlS: () => settings.pairingTtlS,
    describeDevice: (id) => devices.describe(id),
  });
  const files = new FileService({
    repo: new FileTransfersRepo(store.db),
    link,
    rules: { dataDir: deps.dataDir },
    settings: async () => {
      const [landingDir, maxFileBytes] = await Promise.all([
        store.settings.get("fileLandingDir"),
        store.settings.get("fileMaxBytes"),
      ]);
      return { ...(landingDir !== null ? { landingDir } : {}), maxFileBytes };
    },
    // A copy outside the landing folder is a command like any other: classified, and approved when it asks.
    requestCopy: async (device, file, destDir) =>
      (await tasks.run({ command: copyCommand(file, destDir), requestedBy: device, cwd: destDir })).id,
    changed: (transfer) => events.emit("file.transfer", transfer),
    log,
  });
  new RpcRouter(
    link,
    devices,
    buildHandlers({
      info: () => ({ device: link.device, name: deps.name(), version: HUB_VERSION }),
      devices,
      messages,
      tasks,
      terminals,
      staleRequestMs: settings.staleRequestMs,
      resultBudget: () => resultBudget(link.limits().maxBodyBytes),
      favorites,
      push: pushHandlers(push),
      files: buildFileHandlers(files),
    }),
    audit,
    log,
  );
  serveTerminalFlow(link, devices, events, terminals, log);
  return { events, audit, link, devices, grants, messages, tasks, terminals, pairing, favorites, push, files };
}
