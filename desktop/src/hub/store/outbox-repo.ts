import type { RepoContext } from "./repo-context";
import type { OutboxFrame } from "./types";

/**
 * Frames sent to the relay and not yet acknowledged by it. After a reconnect the
 * link resends them oldest first; frame ids make the resend idempotent at the relay.
 */
export class OutboxRepo {
  constructor(private readonly ctx: RepoContext) {}

  /** Stores a frame; putting an id that is already stored keeps the first copy and its place in line. */
  async put(f: OutboxFrame): Promise<void> {
    await this.ctx.db
      .insertInto("outbox")
      .values({ id: f.id, to_device: f.to, body: f.body, qos: f.qos, created_at: f.createdAt })
      .onConflict((oc) => oc.column("id").doNothing())
      .execute();
  }

  /** @returns whether a frame was removed. */
  async remove(id: string): Promise<boolean> {
    const res = await this.ctx.db.deleteFrom("outbox").where("id", "=", id).executeTakeFirst();
    return res.numDeletedRows > 0n;
  }

  /** Oldest first (the order they were put). */
  async list(): Promise<OutboxFrame[]> {
    const rows = await this.ctx.db.selectFrom("outbox").selectAll().orderBy("seq").execute();
    return rows.map((r) => ({
      id: r.id,
      to: r.to_device,
      body: r.body,
      qos: r.qos === 1 ? 1 : 0,
      createdAt: r.created_at,
    }));
  }

  async count(): Promise<number> {
    const row = await this.ctx.db
      .selectFrom("outbox")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return row.n;
  }
}
