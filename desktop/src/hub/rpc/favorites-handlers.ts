import { PAGE_LIMIT_DEFAULT, pageBySize, type MethodParams, type MethodResult } from "@neural-link/shared/app";
import type { FavoritesService } from "../favorites/favorites-service";
import type { HubCaller } from "./stale-requests";

type H<M extends "favorites.list" | "favorites.save" | "favorites.remove" | "history.list" | "history.remove"> = (
  params: MethodParams<M>,
  caller: HubCaller,
) => Promise<MethodResult<M>>;

/**
 * Saved commands and history (docs/protocol.md section 11, "Saved commands
 * and history"): shared by every device with `tasks` on this hub; history
 * limited to what ran since the caller was paired. Running one is `tasks.run`.
 */
export function favoritesHandlers(favorites: FavoritesService, budget: () => number) {
  const list: H<"favorites.list"> = async () => ({ favorites: await favorites.listFavorites() });
  const save: H<"favorites.save"> = async (p, caller) => ({
    favorite: await favorites.saveFavorite(caller.device, {
      command: p.command,
      ...(p.cwd ? { cwd: p.cwd } : {}),
      ...(p.label ? { label: p.label } : {}),
    }),
  });
  const remove: H<"favorites.remove"> = async (p, caller) => {
    await favorites.removeFavorite(caller.device, p.favorite);
    return {};
  };
  const history: H<"history.list"> = async (p, caller) => {
    const page = pageBySize(await favorites.listHistory(caller.device, p.limit ?? PAGE_LIMIT_DEFAULT), budget());
    return { commands: page.items, ...(page.more ? { more: true as const } : {}) };
  };
  const forget: H<"history.remove"> = async (p, caller) => {
    await favorites.removeHistory(caller.device, p.entry);
    return {};
  };
  return {
    "favorites.list": list,
    "favorites.save": save,
    "favorites.remove": remove,
    "history.list": history,
    "history.remove": forget,
  };
}
