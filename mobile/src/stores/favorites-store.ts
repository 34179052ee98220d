import { createStore, type StoreApi } from "zustand/vanilla";
import type { Favorite, HistoryEntry } from "@neural-link/shared/app";
import type { HubCaller } from "../connection/hub-link";
import { MOBILE_SETTINGS } from "../settings";
import { describeError } from "./errors";

export interface FavoritesState {
  /** Saved commands of the hub, oldest first (the order they were saved in). */
  favorites: Favorite[];
  /** Distinct commands run on the hub, the last run first. */
  history: HistoryEntry[];
  loading: boolean;
  error: string | null;
  refresh(): Promise<void>;
  save(command: string, cwd?: string, label?: string): Promise<Favorite | null>;
  remove(id: string): Promise<void>;
  forget(historyId: string): Promise<void>;
  /** Whether this command and folder is saved already. */
  isSaved(command: string, cwd?: string): boolean;
}

const sameCwd = (a: string | undefined, b: string | undefined) => (a || undefined) === (b || undefined);

/**
 * Saved commands and history, kept by the hub (docs/protocol.md section 11,
 * "Saved commands and history") so that every phone of the user sees the
 * same ones. Running one goes through the tasks store (`tasks.run`).
 */
export function createFavoritesStore(
  hub: HubCaller,
  historyShown: number = MOBILE_SETTINGS.historyShown,
): StoreApi<FavoritesState> {
  return createStore<FavoritesState>((set, get) => {
    const attempt = async <T>(fn: () => Promise<T>): Promise<T | null> => {
      try {
        const out = await fn();
        set({ error: null });
        return out;
      } catch (e) {
        set({ error: describeError(e) });
        return null;
      }
    };
    return {
      favorites: [],
      history: [],
      loading: false,
      error: null,
      async refresh() {
        set({ loading: true });
        await attempt(async () => {
          const [f, h] = await Promise.all([
            hub.call("favorites.list", {}),
            hub.call("history.list", { limit: historyShown }),
          ]);
          set({ favorites: f.favorites, history: h.commands });
        });
        set({ loading: false });
      },
      async save(command, cwd, label) {
        const text = command.trim();
        const dir = cwd?.trim();
        if (text === "") return null;
        const saved = await attempt(
          async () =>
            (
              await hub.call("favorites.save", {
                command: text,
                ...(dir ? { cwd: dir } : {}),
                ...(label?.trim() ? { label: label.trim() } : {}),
              })
            ).favorite,
        );
        if (saved)
          set({
            favorites: [...get().favorites.filter((f) => f.id !== saved.id), saved].sort(
              (a, b) => a.created_at - b.created_at,
            ),
          });
        return saved;
      },
      async remove(id) {
        if ((await attempt(() => hub.call("favorites.remove", { favorite: id }))) !== null)
          set({ favorites: get().favorites.filter((f) => f.id !== id) });
      },
      async forget(historyId) {
        if ((await attempt(() => hub.call("history.remove", { entry: historyId }))) !== null)
          set({ history: get().history.filter((h) => h.id !== historyId) });
      },
      isSaved(command, cwd) {
        const text = command.trim();
        return get().favorites.some((f) => f.command === text && sameCwd(f.cwd, cwd?.trim()));
      },
    };
  });
}
