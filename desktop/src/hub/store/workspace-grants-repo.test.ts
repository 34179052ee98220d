import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS } from "./migrations";
import { migration007 } from "./migrations/007-workspace-grants";
import { openStore, type Store } from "./open-store";
import { openTempStore, silentLog } from "./test-support";
import { WorkspaceGrantsRepo } from "./workspace-grants-repo";

let store: Store;
let file: string;
let cleanup: () => Promise<void>;
let repo: WorkspaceGrantsRepo;
let clock = 1_000;

const A = "A".repeat(43);
const B = "B".repeat(43);

beforeEach(async () => {
  clock = 1_000;
  ({ store, file, cleanup } = await openTempStore());
  repo = new WorkspaceGrantsRepo(store.db, () => clock++);
});
afterEach(() => cleanup());

describe("WorkspaceGrantsRepo on a real SQLite file", () => {
  it("is created by migration 007", async () => {
    const versions = (await store.db.selectFrom("schema_migrations").select("version").execute()).map((r) => r.version);
    expect(versions).toContain(7);
    expect(MIGRATIONS).toContain(migration007);
  });

  it("adds, lists per device and for all, keeps the first grant time", async () => {
    expect(await repo.add(A, "/home/u/proj")).toEqual({ device: A, path: "/home/u/proj", grantedAt: 1_000 });
    await repo.add(A, "/home/u/docs");
    await repo.add(B, "/srv/site");
    expect((await repo.add(A, "/home/u/proj")).grantedAt).toBe(1_000);
    expect((await repo.list(A)).map((g) => g.path)).toEqual(["/home/u/docs", "/home/u/proj"]);
    expect((await repo.list()).map((g) => [g.device, g.path])).toEqual([
      [A, "/home/u/docs"],
      [A, "/home/u/proj"],
      [B, "/srv/site"],
    ]);
    expect(await repo.count(A)).toBe(2);
    expect(await repo.count("nobody")).toBe(0);
  });

  it("removes one grant, then every grant of a device", async () => {
    await repo.add(A, "/home/u/proj");
    await repo.add(A, "/home/u/docs");
    await repo.add(B, "/srv/site");
    expect(await repo.remove(A, "/home/u/proj")).toBe(true);
    expect(await repo.remove(A, "/home/u/proj")).toBe(false);
    expect(await repo.removeAll(A)).toEqual(["/home/u/docs"]);
    expect(await repo.list(A)).toEqual([]);
    expect((await repo.list()).map((g) => g.device)).toEqual([B]);
  });

  it("refuses a relative or root path at the database level too", async () => {
    await expect(repo.add(A, "relative/dir")).rejects.toThrow(/CHECK/);
    await expect(repo.add(A, "/")).rejects.toThrow(/CHECK/);
  });

  it("keeps grants across a close and reopen of the file", async () => {
    await repo.add(A, "/home/u/proj");
    await store.close();
    const again = await openStore({ file, log: silentLog });
    try {
      expect((await new WorkspaceGrantsRepo(again.db).list(A)).map((g) => g.path)).toEqual(["/home/u/proj"]);
    } finally {
      await again.close();
    }
  });
});
