import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CommandHistoryRepo } from "./command-history-repo";
import { FavoritesRepo } from "./favorites-repo";
import { MIGRATIONS } from "./migrations";
import type { Store } from "./open-store";
import { openStore } from "./open-store";
import { openTempStore, silentLog } from "./test-support";

let store: Store;
let file: string;
let cleanup: () => Promise<void>;
let clock = 1000;

beforeEach(async () => {
  clock = 1000;
  ({ store, file, cleanup } = await openTempStore({ now: () => clock }));
});
afterEach(() => cleanup());

describe("migration 010 (favorites, command history) on a real SQLite file", () => {
  it("creates both tables, and a reopened file keeps what was saved", async () => {
    const favorites = new FavoritesRepo(store.db, store.newId, () => clock);
    await favorites.save({ command: "npm test", cwd: "/work", label: "Tests", by: "phone-1" });
    const tables = await sql<{
      name: string;
    }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('favorites', 'command_history') ORDER BY name`.execute(
      store.db,
    );
    expect(tables.rows.map((r) => r.name)).toEqual(["command_history", "favorites"]);
    await store.close();
    const again = await openStore({ file, log: silentLog });
    expect((await new FavoritesRepo(again.db, again.newId).list()).map((f) => f.command)).toEqual(["npm test"]);
    await again.close();
  });

  it("is in the list of migrations, after 008", () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toContain(10);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });
});

describe("FavoritesRepo", () => {
  it("saves, keeps one row per command and folder (a second save renames it), lists oldest first, removes", async () => {
    const favorites = new FavoritesRepo(store.db, store.newId, () => clock);
    const a = await favorites.save({ command: "git status", cwd: null, label: null, by: "desktop" });
    clock = 2000;
    const b = await favorites.save({ command: "git status", cwd: "/repo", label: "Repo status", by: "phone-1" });
    clock = 3000;
    const a2 = await favorites.save({ command: "git status", cwd: null, label: "Status", by: "phone-2" });
    expect(a2).toEqual({ ...a, label: "Status" });
    expect((await favorites.list()).map((f) => [f.command, f.cwd, f.label])).toEqual([
      ["git status", null, "Status"],
      ["git status", "/repo", "Repo status"],
    ]);
    expect(await favorites.count()).toBe(2);
    expect(await favorites.remove(b.id)).toBe(true);
    expect(await favorites.remove(b.id)).toBe(false);
    expect(await favorites.count()).toBe(1);
  });
});

describe("CommandHistoryRepo", () => {
  it("counts runs per command and folder, lists the last run first, filters by time, and keeps at most `keep` rows", async () => {
    const history = new CommandHistoryRepo(store.db, store.newId, 3);
    await history.record({ command: "ls", cwd: null, task: "t1", by: "phone-1", at: 10 });
    await history.record({ command: "ls", cwd: "/tmp", task: "t2", by: "phone-1", at: 20 });
    await history.record({ command: "ls", cwd: null, task: "t3", by: "desktop", at: 30 });
    await history.record({ command: "ls", cwd: null, task: "t3", by: "desktop", at: 30 }); // the same task again: one run
    const all = await history.list(50);
    expect(all.map((h) => [h.command, h.cwd, h.runs, h.lastTask, h.lastBy])).toEqual([
      ["ls", null, 2, "t3", "desktop"],
      ["ls", "/tmp", 1, "t2", "phone-1"],
    ]);
    expect((await history.list(50, 25)).map((h) => h.lastTask)).toEqual(["t3"]);
    await history.record({ command: "make", cwd: null, task: "t4", by: "phone-1", at: 40 });
    await history.record({ command: "make test", cwd: null, task: "t5", by: "phone-1", at: 50 });
    expect((await history.list(50)).map((h) => h.command)).toEqual(["make test", "make", "ls"]);
    expect((await history.list(50)).map((h) => h.cwd)).toEqual([null, null, null]);
    const first = (await history.list(1))[0]!;
    expect(await history.get(first.id)).toEqual(first);
    expect(await history.remove(first.id)).toBe(true);
    expect((await history.list(50)).map((h) => h.command)).toEqual(["make", "ls"]);
  });
});
