import type { Favorite, HistoryEntry } from "@neural-link/shared/app";
import type { Logger } from "pino";
import { HubError } from "../hub-error";
import type { Store } from "../store";
import { CommandHistoryRepo, type HistoryRecord } from "../store/command-history-repo";
import { FavoritesRepo, type FavoriteRecord } from "../store/favorites-repo";
import type { TaskRecord } from "../tasks/ports";

/** The limits of saved commands and history; each a documented hub setting (docs/hub.md). */
export interface FavoritesSettings {
  /** Saved commands per hub; saving one more is refused with `conflict`. */
  favoritesMax: number;
  /** Distinct commands the history keeps; the least recently run go first. */
  historyKeep: number;
}

export const FAVORITES_DEFAULTS: Readonly<FavoritesSettings> = Object.freeze({ favoritesMax: 200, historyKeep: 500 });

/** Who may see which history: the desktop all of it, a device what ran since it was paired. */
export type PairedSince = (device: string) => Promise<number | undefined>;

interface Deps {
  store: Pick<Store, "db" | "newId">;
  /** The task events: every command a device or the desktop runs enters the history. */
  tasks: { onUpdated(listener: (e: { task: TaskRecord }) => void): () => void };
  pairedSince: PairedSince;
  audit: { record(actor: string, action: string, subject: string, detail?: Record<string, unknown>): Promise<unknown> };
  log: Logger;
  settings?: Partial<FavoritesSettings>;
  now?: () => number;
}

export const favoriteToWire = (f: FavoriteRecord): Favorite => ({
  id: f.id,
  command: f.command,
  ...(f.cwd ? { cwd: f.cwd } : {}),
  ...(f.label ? { label: f.label } : {}),
  created_at: f.createdAt,
});
export const historyToWire = (h: HistoryRecord): HistoryEntry => ({
  id: h.id,
  command: h.command,
  ...(h.cwd ? { cwd: h.cwd } : {}),
  last_run_at: h.lastRunAt,
  runs: h.runs,
  ...(h.lastTask ? { last_task: h.lastTask } : {}),
});

/** Task ids remembered as already entered into the history (a task is announced at each state change). */
const SEEN_TASKS_KEPT = 1000;

/**
 * Saved commands ("favorites") and the history of commands run, both kept
 * by the hub so that every device of the user sees the same ones
 * (docs/protocol.md section 11, "Saved commands and history"). Running one
 * is an ordinary task: nothing here bypasses the risk policy or approvals.
 */
export class FavoritesService {
  private readonly favorites: FavoritesRepo;
  private readonly history: CommandHistoryRepo;
  private readonly settings: FavoritesSettings;
  private readonly seen = new Set<string>();
  private readonly log: Logger;
  private readonly off: () => void;

  constructor(private readonly deps: Deps) {
    this.settings = { ...FAVORITES_DEFAULTS, ...deps.settings };
    const now = deps.now ?? Date.now;
    this.favorites = new FavoritesRepo(deps.store.db, deps.store.newId, now);
    this.history = new CommandHistoryRepo(deps.store.db, deps.store.newId, this.settings.historyKeep);
    this.log = deps.log.child({ mod: "hub/favorites" });
    this.off = deps.tasks.onUpdated(({ task }) => void this.recordRun(task));
  }

  dispose(): void {
    this.off();
  }

  async listFavorites(): Promise<Favorite[]> {
    return (await this.favorites.list()).map(favoriteToWire);
  }

  async saveFavorite(by: string, f: { command: string; cwd?: string; label?: string }): Promise<Favorite> {
    const existing = await this.favorites.find(f.command, f.cwd ?? null);
    if (!existing && (await this.favorites.count()) >= this.settings.favoritesMax)
      throw new HubError("conflict", `at most ${this.settings.favoritesMax} saved commands; remove one first`);
    const saved = await this.favorites.save({ command: f.command, cwd: f.cwd ?? null, label: f.label ?? null, by });
    await this.deps.audit.record(by, existing ? "favorite.renamed" : "favorite.saved", saved.id);
    return favoriteToWire(saved);
  }

  async removeFavorite(by: string, id: string): Promise<void> {
    if (!(await this.favorites.remove(id))) throw new HubError("not_found", `no saved command ${id}`);
    await this.deps.audit.record(by, "favorite.removed", id);
  }

  /** The most recently run first; a device sees the commands run since it was paired. */
  async listHistory(viewer: string, limit: number): Promise<HistoryEntry[]> {
    const since = viewer === "desktop" ? 0 : await this.deps.pairedSince(viewer);
    // An unknown device sees nothing (the RPC layer lets only paired devices in, so this is belt and braces).
    if (since === undefined) return [];
    return (await this.history.list(limit, since)).map(historyToWire);
  }

  async removeHistory(by: string, id: string, viewer = by): Promise<void> {
    const entry = await this.history.get(id);
    const since = viewer === "desktop" ? 0 : await this.deps.pairedSince(viewer);
    // An entry the caller may not see looks exactly like a missing one.
    if (!entry || since === undefined || entry.lastRunAt < since)
      throw new HubError("not_found", `no history entry ${id}`);
    await this.history.remove(id);
    await this.deps.audit.record(by, "history.removed", id);
  }

  /** A command task enters the history once, when it is created (running, or waiting for approval). */
  private async recordRun(task: TaskRecord): Promise<void> {
    if (task.kind !== "command" || task.escalatedFrom !== null || this.seen.has(task.id)) return;
    if (task.state !== "running" && task.state !== "awaiting_approval") return;
    this.seen.add(task.id);
    if (this.seen.size > SEEN_TASKS_KEPT) this.seen.delete(this.seen.values().next().value!);
    try {
      await this.history.record({
        command: task.command,
        cwd: task.cwd,
        task: task.id,
        by: task.requestedBy,
        at: task.createdAt,
      });
    } catch (err) {
      this.log.warn({ err: String(err), task: task.id }, "history not recorded");
    }
  }
}
