import type { Kysely } from "kysely";
import type { IdGenerator } from "./ids";
import type { Database } from "./schema";

/** Row type of migration 010's `favorites` table (migrations/010-favorites-history.ts). */
export type FavoritesTables = {
  favorites: { id: string; command: string; cwd: string; label: string | null; created_by: string; created_at: number };
};

/** A saved command; `cwd` null: the desktop's default folder. */
export interface FavoriteRecord {
  id: string;
  command: string;
  cwd: string | null;
  label: string | null;
  createdBy: string;
  createdAt: number;
}

type Row = FavoritesTables["favorites"];
const toRecord = (r: Row): FavoriteRecord => ({
  id: r.id,
  command: r.command,
  cwd: r.cwd === "" ? null : r.cwd,
  label: r.label,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/**
 * The `favorites` table: the hub's saved commands. Saving a command and
 * folder already saved keeps its id and creation time and replaces its label.
 */
export class FavoritesRepo {
  private readonly db: Kysely<Database & FavoritesTables>;

  constructor(
    db: Kysely<Database>,
    private readonly newId: IdGenerator,
    private readonly now: () => number = Date.now,
  ) {
    this.db = db.withTables<FavoritesTables>();
  }

  /** Every saved command, oldest first (the order the user built the list in). */
  async list(): Promise<FavoriteRecord[]> {
    const rows = await this.db.selectFrom("favorites").selectAll().orderBy("created_at").orderBy("id").execute();
    return rows.map(toRecord);
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom("favorites")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async find(command: string, cwd: string | null): Promise<FavoriteRecord | undefined> {
    const row = await this.db
      .selectFrom("favorites")
      .selectAll()
      .where("command", "=", command)
      .where("cwd", "=", cwd ?? "")
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async save(f: { command: string; cwd: string | null; label: string | null; by: string }): Promise<FavoriteRecord> {
    await this.db
      .insertInto("favorites")
      .values({
        id: this.newId(),
        command: f.command,
        cwd: f.cwd ?? "",
        label: f.label,
        created_by: f.by,
        created_at: this.now(),
      })
      .onConflict((oc) => oc.columns(["command", "cwd"]).doUpdateSet({ label: f.label }))
      .execute();
    const saved = await this.find(f.command, f.cwd);
    if (!saved) throw new Error("favorite vanished after its upsert");
    return saved;
  }

  /** Resolves false when there was no such favorite. */
  async remove(id: string): Promise<boolean> {
    const res = await this.db.deleteFrom("favorites").where("id", "=", id).executeTakeFirst();
    return res.numDeletedRows > 0n;
  }
}
