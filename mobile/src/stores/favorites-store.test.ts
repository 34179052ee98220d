import { describe, expect, it } from "vitest";
import { RpcError, type Favorite } from "@neural-link/shared/app";
import { ScriptedHub } from "../../test/scripted-hub";
import { createFavoritesStore } from "./favorites-store";

describe("favorites store", () => {
  it("loads favorites and history, saves with trimmed text, knows what is saved, removes and forgets", async () => {
    const saved: Favorite[] = [{ id: "f1", command: "make", created_at: 1 }];
    const hub = new ScriptedHub()
      .on("favorites.list", () => ({ favorites: saved }))
      .on("history.list", () => ({ commands: [{ id: "h1", command: "ls", cwd: "/w", last_run_at: 5, runs: 2 }] }))
      .on("favorites.save", (p) => ({
        favorite: { id: "f2", command: p.command, ...(p.cwd ? { cwd: p.cwd } : {}), created_at: 2 },
      }))
      .on("favorites.remove", () => ({}))
      .on("history.remove", () => ({}));
    const store = createFavoritesStore(hub, 7);
    await store.getState().refresh();
    expect(hub.callsOf("history.list")).toEqual([{ limit: 7 }]);
    expect(store.getState().history.map((h) => h.command)).toEqual(["ls"]);
    await store.getState().save("  npm test ", " /repo ", "  ");
    expect(hub.callsOf("favorites.save")).toEqual([{ command: "npm test", cwd: "/repo" }]);
    expect(store.getState().isSaved("npm test", "/repo")).toBe(true);
    expect(store.getState().isSaved("npm test")).toBe(false);
    expect(store.getState().isSaved("make", "")).toBe(true);
    expect(await store.getState().save("   ")).toBeNull();
    await store.getState().remove("f1");
    await store.getState().forget("h1");
    expect(store.getState().favorites.map((f) => f.id)).toEqual(["f2"]);
    expect(store.getState().history).toEqual([]);
  });

  it("words a refusal and keeps the list as it was", async () => {
    const hub = new ScriptedHub().on("favorites.save", () => {
      throw new RpcError("conflict", "at most 200 saved commands; remove one first");
    });
    const store = createFavoritesStore(hub);
    expect(await store.getState().save("ls")).toBeNull();
    expect(store.getState().error).toBe("at most 200 saved commands; remove one first");
    expect(store.getState().favorites).toEqual([]);
  });
});
