import type { Kysely } from "kysely";
import type { Database } from "./schema";

/** Row type of migration 007 (migrations/007-workspace-grants.ts). */
// A type alias, not an interface: Kysely's `withTables` wants an index-signature-compatible record.
export type WorkspaceGrantsTables = {
  workspace_grants: { device_id: string; path: string; granted_at: number };
};

/** One folder made writable inside one device's sandboxed tasks. */
export interface WorkspaceGrantRecord {
  device: string;
  /** Absolute, symlink-free path (the service resolves it before storing). */
  path: string;
  grantedAt: number;
}

/**
 * The `workspace_grants` table. It stores what the service validated and
 * checks nothing about the filesystem itself: the store has no business
 * reading folders. Adding an existing grant keeps the first grant time.
 */
export class WorkspaceGrantsRepo {
  private readonly db: Kysely<Database & WorkspaceGrantsTables>;

  constructor(
    db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {
    this.db = db.withTables<WorkspaceGrantsTables>();
  }

  /** Grants of one device, or of every device when `device` is omitted; by device, then path. */
  async list(device?: string): Promise<WorkspaceGrantRecord[]> {
    let q = this.db.selectFrom("workspace_grants").selectAll();
    if (device !== undefined) q = q.where("device_id", "=", device);
    const rows = await q.orderBy("device_id").orderBy("path").execute();
    return rows.map((r) => ({ device: r.device_id, path: r.path, grantedAt: r.granted_at }));
  }

  /** Stores a grant; returns it with the time of the first grant of this folder to this device. */
  async add(device: string, path: string): Promise<WorkspaceGrantRecord> {
    await this.db
      .insertInto("workspace_grants")
      .values({ device_id: device, path, granted_at: this.now() })
      .onConflict((oc) => oc.columns(["device_id", "path"]).doNothing())
      .execute();
    const row = await this.db
      .selectFrom("workspace_grants")
      .selectAll()
      .where("device_id", "=", device)
      .where("path", "=", path)
      .executeTakeFirstOrThrow();
    return { device: row.device_id, path: row.path, grantedAt: row.granted_at };
  }

  /** Removes one grant; resolves false when there was none. */
  async remove(device: string, path: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom("workspace_grants")
      .where("device_id", "=", device)
      .where("path", "=", path)
      .executeTakeFirst();
    return res.numDeletedRows > 0n;
  }

  /** Removes every grant of a device (it was revoked); returns the folders it had. */
  async removeAll(device: string): Promise<string[]> {
    const rows = await this.db
      .deleteFrom("workspace_grants")
      .where("device_id", "=", device)
      .returning("path")
      .execute();
    return rows.map((r) => r.path).sort();
  }

  async count(device: string): Promise<number> {
    const row = await this.db
      .selectFrom("workspace_grants")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("device_id", "=", device)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
