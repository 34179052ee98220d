import type { RepoContext } from "./repo-context";

/**
 * Ids of accepted frames, per sender, so a replayed frame is dropped
 * (docs/protocol.md section 8: remembered for at least the relay's storage expiry plus a day;
 * the caller picks `expiresAt`).
 */
export class SeenFramesRepo {
  constructor(private readonly ctx: RepoContext) {}

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

  /** Whether the id is remembered for this sender (until a sweep forgets it). */
  async has(from: string, id: string): Promise<boolean> {
    const row = await this.ctx.db
      .selectFrom("seen_frames")
      .select("expires_at")
      .where("from_device", "=", from)
      .where("frame_id", "=", id)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Forgets ids whose time is up. @returns how many were forgotten. */
  async sweep(now: number): Promise<number> {
    const res = await this.ctx.db.deleteFrom("seen_frames").where("expires_at", "<=", now).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
