import { sql, type Kysely } from "kysely";
import type { IdGenerator } from "./ids";
import type { Database } from "./schema";

/** Row type of migration 010's `command_history` table (migrations/010-favorites-history.ts). */
export type CommandHistoryTables = {
  command_history: {
    id: string;
    command: string;
    cwd: string;
    runs: number;
    last_run_at: number;
    last_task: string | null;
    last_by: string;
  };
};

/** One distinct command (text and folder) run on the hub; `cwd` null: the desktop's default folder. */
export interface HistoryRecord {
  id: string;
  command: string;
  cwd: string | null;
  runs: number;
  lastRunAt: number;
  lastTask: string | null;
  /** Who ran it last: a device id or "desktop". */
  lastBy: string;
}

type Row = CommandHistoryTables["command_history"];
const toRecord = (r: Row): HistoryRecord => ({
  id: r.id,
  command: r.command,
  cwd: r.cwd === "" ? null : r.cwd,
  runs: r.runs,
  lastRunAt: r.last_run_at,
  lastTask: r.last_task,
  lastBy: r.last_by,
});

/**
 * The `command_history` table: one row per distinct command and folder,
 * counting its runs. It keeps the `keep` most recently run rows; older ones
 * are deleted as new ones arrive (the tasks table keeps every run anyway).
 */
export class CommandHistoryRepo {
  private readonly db: Kysely<Database & CommandHistoryTables>;

  constructor(
    db: Kysely<Database>,
    private readonly newId: IdGenerator,
    private readonly keep: number,
  ) {
    this.db = db.withTables<CommandHistoryTables>();
  }

  /** Records a run: a new row, or one more run of a known command and folder (once per task). */
  async record(run: { command: string; cwd: string | null; task: string; by: string; at: number }): Promise<void> {
    await this.db
      .insertInto("command_history")
      .values({
        id: this.newId(),
        command: run.command,
        cwd: run.cwd ?? "",
        runs: 1,
        last_run_at: run.at,
        last_task: run.task,
        last_by: run.by,
      })
      .onConflict((oc) =>
        // The same task recorded twice (announced again after a restart) is one run.
        oc.columns(["command", "cwd"]).doUpdateSet({
          runs: sql<number>`CASE WHEN command_history.last_task = ${run.task} THEN command_history.runs ELSE command_history.runs + 1 END`,
          last_run_at: run.at,
          last_task: run.task,
          last_by: run.by,
        }),
      )
      .execute();
    // Past `keep` rows, the least recently run go; the subquery finds the cut-off row by the index.
    const cut = await this.db
      .selectFrom("command_history")
      .select(["last_run_at", "id"])
      .orderBy("last_run_at", "desc")
      .orderBy("id", "desc")
      .offset(this.keep)
      .limit(1)
      .executeTakeFirst();
    if (cut) {
      await this.db
        .deleteFrom("command_history")
        .where((eb) =>
          eb.or([
            eb("last_run_at", "<", cut.last_run_at),
            eb.and([eb("last_run_at", "=", cut.last_run_at), eb("id", "<=", cut.id)]),
          ]),
        )
        .execute();
    }
  }

  /** The most recently run first; `since` leaves out rows last run before it (a device sees runs since its pairing). */
  async list(limit: number, since = 0): Promise<HistoryRecord[]> {
    const rows = await this.db
      .selectFrom("command_history")
      .selectAll()
      .where("last_run_at", ">=", since)
      .orderBy("last_run_at", "desc")
      .orderBy("id", "desc")
      .limit(limit)
      .execute();
    return rows.map(toRecord);
  }

  async get(id: string): Promise<HistoryRecord | undefined> {
    const row = await this.db.selectFrom("command_history").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** Resolves false when there was no such row. */
  async remove(id: string): Promise<boolean> {
    const res = await this.db.deleteFrom("command_history").where("id", "=", id).executeTakeFirst();
    return res.numDeletedRows > 0n;
  }
}
