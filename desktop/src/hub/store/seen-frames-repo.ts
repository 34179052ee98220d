import type BetterSqlite3 from "better-sqlite3";
import type { RepoContext } from "./repo-context";

/** One remembered frame id. */
export interface SeenFrame {
  from: string;
  id: string;
  expiresAt: number;
}

/** Rows per INSERT of markSeenMany: 3 parameters each, well under SQLite's 32,766. */
const ROWS_PER_INSERT = 500;

/**
 * Ids of accepted frames, per sender, so a replayed frame is dropped
 * (docs/protocol.md section 8: remembered for at least the relay's storage expiry plus a day;
 * the caller picks `expiresAt`).
 */
export class SeenFramesRepo {
  private lookup: BetterSqlite3.Statement<[string, string]> | null = null;

  /** `sqlite`: the connection under `ctx.db`, for the synchronous lookup of `has`. */
  constructor(
    private readonly ctx: RepoContext,
    private readonly sqlite: BetterSqlite3.Database,
  ) {}

  /**
   * Remembers a frame id. Atomic: of two calls with the same id, exactly one gets true.
   * @returns false if the id was already remembered for this sender.
   */
  async markSeen(from: string, id: string, expiresAt: number): Promise<boolean> {
    const res = await this.ctx.db
      .insertInto("seen_frames")
      .values({ from_device: from, frame_id: id, expires_at: expiresAt })
      .onConflict((oc) => oc.columns(["from_device", "frame_id"]).doNothing())
      .executeTakeFirst();
    return (res.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  /** Remembers many ids at once (ids already remembered are left as they are); one statement per 500. */
  async markSeenMany(frames: readonly SeenFrame[]): Promise<void> {
    for (let i = 0; i < frames.length; i += ROWS_PER_INSERT) {
      await this.ctx.db
        .insertInto("seen_frames")
        .values(
          frames
            .slice(i, i + ROWS_PER_INSERT)
            .map((f) => ({ from_device: f.from, frame_id: f.id, expires_at: f.expiresAt })),
        )
        .onConflict((oc) => oc.columns(["from_device", "frame_id"]).doNothing())
        .execute();
    }
  }

  /**
   * Whether the id is remembered for this sender (until a sweep forgets it). Synchronous, on the
   * connection itself: every received frame asks, and through Kysely's promise chain the question
   * cost ~35 µs against ~3 µs. It reads what that connection holds, so inside an open transaction of
   * another caller it sees that transaction's rows too (the Endpoint handles frames one at a time).
   */
  has(from: string, id: string): boolean {
    this.lookup ??= this.sqlite.prepare<[string, string]>(
      "SELECT 1 FROM seen_frames WHERE from_device = ? AND frame_id = ?",
    );
    return this.lookup.get(from, id) !== undefined;
  }

  /** Forgets ids whose time is up. @returns how many were forgotten. */
  async sweep(now: number): Promise<number> {
    const res = await this.ctx.db.deleteFrom("seen_frames").where("expires_at", "<=", now).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
