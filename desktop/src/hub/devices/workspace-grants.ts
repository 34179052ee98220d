import type { Logger } from "pino";
import { DESKTOP_ACTOR, type AuditLog } from "../audit-log";
import type { WorkspaceGrant } from "../api";
import { HubError } from "../hub-error";
import type { HubEmitter } from "../hub-events";
import type { Store } from "../store";
import { WorkspaceGrantsRepo } from "../store/workspace-grants-repo";
import { checkWorkspacePath, type WorkspacePathRules } from "./workspace-path";

/** Settings of workspace grants; user-visible through error messages. */
export interface WorkspaceGrantSettings {
  /** Folders one device may hold at most. */
  maxPerDevice: number;
}
export const WORKSPACE_GRANT_DEFAULTS: Readonly<WorkspaceGrantSettings> = Object.freeze({ maxPerDevice: 16 });

export interface WorkspaceGrantDeps {
  store: Store;
  audit: AuditLog;
  events: HubEmitter;
  log: Logger;
  rules: WorkspacePathRules;
  settings?: Partial<WorkspaceGrantSettings>;
}

/**
 * Workspace grants (Codex-style workspace-write, docs/risk-policy.md): the
 * desktop user makes chosen folders writable inside ONE device's sandboxed
 * tasks (still no network). Only the desktop grants: this service is reached
 * from the HubApi (IPC or the web bridge), never from a phone's RPC. Every
 * grant and revoke is audited with the folder and the device; the task
 * service reads `workspaceFor` at the start of each task, so a revoke
 * applies to the next task at once.
 *
 * @example
 *   await grants.grant(phoneId, "/home/me/site");
 *   await grants.workspaceFor(phoneId); // ["/home/me/site"]
 */
export class WorkspaceGrants {
  private readonly repo: WorkspaceGrantsRepo;
  private readonly settings: WorkspaceGrantSettings;
  private readonly log: Logger;

  constructor(private readonly deps: WorkspaceGrantDeps) {
    this.repo = new WorkspaceGrantsRepo(deps.store.db);
    this.settings = { ...WORKSPACE_GRANT_DEFAULTS, ...deps.settings };
    this.log = deps.log.child({ mod: "hub/workspace-grants" });
  }

  /** Grants of one device, or of every device. */
  async list(device?: string): Promise<WorkspaceGrant[]> {
    return (await this.repo.list(device)).map((g) => ({ device: g.device, path: g.path, grantedAt: g.grantedAt }));
  }

  /** Checks the folder (see checkWorkspacePath), stores its real path, audits it. */
  async grant(device: string, folder: string): Promise<WorkspaceGrant> {
    if (!(await this.deps.store.devices.isActive(device))) throw new HubError("not_found", "no such paired device");
    const path = await checkWorkspacePath(folder, this.deps.rules);
    const existing = (await this.repo.list(device)).find((g) => g.path === path);
    if (existing) return existing;
    if ((await this.repo.count(device)) >= this.settings.maxPerDevice) {
      throw new HubError(
        "conflict",
        `a device may hold at most ${this.settings.maxPerDevice} workspace folders; remove one first`,
      );
    }
    const g = await this.repo.add(device, path);
    await this.deps.audit.record(DESKTOP_ACTOR, "workspace.granted", device, { path });
    this.log.info({ device }, "workspace folder granted");
    this.announce(device);
    return g;
  }

  /** Removes one grant at once: the device's next task no longer sees the folder writable. */
  async revoke(device: string, path: string): Promise<void> {
    if (!(await this.repo.remove(device, path)))
      throw new HubError("not_found", `${path} is not granted to this device`);
    await this.deps.audit.record(DESKTOP_ACTOR, "workspace.revoked", device, { path });
    this.announce(device);
  }

  /** The device was revoked: its grants go with it (each one audited). */
  async revokeAll(device: string): Promise<void> {
    const paths = await this.repo.removeAll(device);
    for (const path of paths)
      await this.deps.audit.record(DESKTOP_ACTOR, "workspace.revoked", device, { path, why: "device revoked" });
    if (paths.length > 0) this.announce(device);
  }

  /**
   * The folders writable in this device's sandboxed tasks. The desktop's own
   * tasks get none: the person at the desktop runs with their full rights
   * after approval anyway. A folder removed from disk since it was granted is
   * left out (the sandbox could not bind it), and so is one replaced by a
   * symlink since (the grant named the real folder, not the link's target).
   */
  async workspaceFor(device: string): Promise<string[]> {
    if (device === DESKTOP_ACTOR) return [];
    const out: string[] = [];
    for (const g of await this.repo.list(device)) {
      try {
        // The stored path is already real: if it now resolves elsewhere, it was swapped for a symlink.
        if ((await checkWorkspacePath(g.path, this.deps.rules)) === g.path) out.push(g.path);
        else this.log.warn({ device }, "a granted folder now resolves elsewhere (a symlink?); left out");
      } catch (err) {
        this.log.warn({ device, err: String(err) }, "a granted folder is no longer grantable; left out");
      }
    }
    return out;
  }

  private announce(device: string): void {
    void this.list(device).then(
      (grants) => this.deps.events.emit("workspace", { device, grants }),
      (err: unknown) => this.log.debug({ err: String(err) }, "workspace change not announced"),
    );
  }
}
