import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS } from "./migrations";
import { openStore } from "./open-store";
import { StoreError } from "./store-error";
import { silentLog, tempDir } from "./test-support";

const digest = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function dbFile(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return join(t.dir, "hub.db");
}

async function openError(p: Promise<unknown>): Promise<StoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  return err as StoreError;
}

describe("openStore", () => {
  it("creates the file with WAL mode, foreign keys and every migration recorded", async () => {
    const file = dbFile();
    const store = await openStore({ file, log: silentLog });
    const mode = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(store.db);
    expect(mode.rows[0]!.journal_mode).toBe("wal");
    const fk = await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(store.db);
    expect(fk.rows[0]!.foreign_keys).toBe(1);
    const versions = await store.db.selectFrom("schema_migrations").select("version").orderBy("version").execute();
    expect(versions.map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
    await store.close();
    await store.close(); // idempotent
  });

  it("migrates an older database forward and keeps its data", async () => {
    const file = dbFile();
    const old = await openStore({ file, log: silentLog, migrations: MIGRATIONS.slice(0, 2) });
    await old.settings.set("hubName", "Workstation");
    const msg = await old.messages.append({ sender: "desktop", text: "written before the upgrade" });
    await old.close();

    const store = await openStore({ file, log: silentLog });
    expect(await store.settings.get("hubName")).toBe("Workstation");
    expect(await store.messages.list({ limit: 10 })).toEqual([msg]);
    expect((await store.messages.search("upgrade", 10)).map((m) => m.id)).toEqual([msg.id]);
    const task = await store.tasks.create({
      command: "ls",
      cwd: null,
      risk: "low",
      reasons: [],
      state: "running",
      requestedBy: "desktop",
      timeoutMs: 1000,
    });
    expect((await store.tasks.get(task.id))?.command).toBe("ls");
    await store.close();
  });

  it("applies a known migration missing below one already applied (reserved ranges are independent)", async () => {
    const file = dbFile();
    const [m1, m2, m3] = MIGRATIONS;
    const first = await openStore({ file, log: silentLog, migrations: [m1!, m3!] });
    await first.close();
    const store = await openStore({ file, log: silentLog, migrations: [m1!, m2!, m3!] });
    expect((await store.messages.append({ sender: "a", text: "x" })).text).toBe("x");
    await store.close();
  });

  it("refuses a database written by a newer build", async () => {
    const file = dbFile();
    const store = await openStore({ file, log: silentLog });
    await store.db
      .insertInto("schema_migrations")
      .values({ version: 999, name: "from-the-future", applied_at: 1 })
      .execute();
    await store.close();
    const err = await openError(openStore({ file, log: silentLog }));
    expect(err.code).toBe("newer_version");
    expect(err.message).toContain("newer version");
    expect(err.message).toContain("999");
  });

  it("refuses a corrupt file and leaves its bytes untouched", async () => {
    const file = dbFile();
    writeFileSync(file, randomBytes(8192));
    const before = digest(file);
    const err = await openError(openStore({ file, log: silentLog }));
    expect(err.code).toBe("corrupt");
    expect(err.message).toContain("not a valid SQLite database");
    expect(digest(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it("refuses a database held with an exclusive lock by another connection, leaving it untouched", async () => {
    const file = dbFile();
    await (await openStore({ file, log: silentLog })).close();
    const holder = new BetterSqlite3(file);
    holder.pragma("locking_mode = EXCLUSIVE");
    holder.exec("BEGIN EXCLUSIVE");
    try {
      const before = digest(file);
      const err = await openError(openStore({ file, log: silentLog, options: { busyTimeoutMs: 50 } }));
      expect(err.code).toBe("locked");
      expect(err.message).toContain("locked");
      expect(digest(file)).toBe(before);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    // Once the lock is gone the same file opens normally.
    await (await openStore({ file, log: silentLog })).close();
  });

  it("rolls back a failing migration and reports which one", async () => {
    const file = dbFile();
    const version = MIGRATIONS.at(-1)!.version + 1;
    const broken = { version, name: "broken", up: async () => Promise.reject(new Error("boom")) };
    const err = await openError(openStore({ file, log: silentLog, migrations: [...MIGRATIONS, broken] }));
    expect(err.code).toBe("migration_failed");
    expect(err.message).toContain(`migration ${version} (broken)`);
    const store = await openStore({ file, log: silentLog });
    const versions = await store.db.selectFrom("schema_migrations").select("version").execute();
    expect(versions.map((v) => v.version)).not.toContain(version);
    await store.close();
  });
});
