import type { Kysely } from "kysely";
import type { Database } from "./schema";

/** Row type of migration 009 (migrations/009-file-transfers.ts). */
// A type alias, not an interface: Kysely's `withTables` wants an index-signature-compatible record.
export type FileTransfersTables = {
  file_transfers: {
    id: string;
    device_id: string;
    direction: "up" | "down";
    name: string;
    size: number;
    received: number;
    state: FileTransferState;
    path: string | null;
    part_path: string | null;
    dest_dir: string | null;
    sha256: string | null;
    error: string | null;
    task_id: string | null;
    created_at: number;
    updated_at: number;
  };
};

export type FileTransferState = "receiving" | "sending" | "done" | "failed" | "cancelled";

export interface FileTransferRecord {
  id: string;
  device: string;
  direction: "up" | "down";
  name: string;
  size: number;
  received: number;
  state: FileTransferState;
  path: string | null;
  partPath: string | null;
  destDir: string | null;
  sha256: string | null;
  error: string | null;
  taskId: string | null;
  createdAt: number;
  updatedAt: number;
}

type Row = FileTransfersTables["file_transfers"];

const toRecord = (r: Row): FileTransferRecord => ({
  id: r.id,
  device: r.device_id,
  direction: r.direction,
  name: r.name,
  size: r.size,
  received: r.received,
  state: r.state,
  path: r.path,
  partPath: r.part_path,
  destDir: r.dest_dir,
  sha256: r.sha256,
  error: r.error,
  taskId: r.task_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export type FileTransferPatch = Partial<
  Pick<FileTransferRecord, "received" | "state" | "path" | "partPath" | "sha256" | "error" | "taskId" | "name">
>;

/** The `file_transfers` table: what was sent, how far it got, and how it ended. No filesystem access here. */
export class FileTransfersRepo {
  private readonly db: Kysely<Database & FileTransfersTables>;

  constructor(
    db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {
    this.db = db.withTables<FileTransfersTables>();
  }

  async create(t: Omit<FileTransferRecord, "createdAt" | "updatedAt">): Promise<FileTransferRecord> {
    const at = this.now();
    const row: Row = {
      id: t.id,
      device_id: t.device,
      direction: t.direction,
      name: t.name,
      size: t.size,
      received: t.received,
      state: t.state,
      path: t.path,
      part_path: t.partPath,
      dest_dir: t.destDir,
      sha256: t.sha256,
      error: t.error,
      task_id: t.taskId,
      created_at: at,
      updated_at: at,
    };
    await this.db.insertInto("file_transfers").values(row).execute();
    return toRecord(row);
  }

  async get(id: string): Promise<FileTransferRecord | undefined> {
    const row = await this.db.selectFrom("file_transfers").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async update(id: string, patch: FileTransferPatch): Promise<FileTransferRecord> {
    const set: Partial<Row> = { updated_at: this.now() };
    if (patch.received !== undefined) set.received = patch.received;
    if (patch.state !== undefined) set.state = patch.state;
    if (patch.path !== undefined) set.path = patch.path;
    if (patch.partPath !== undefined) set.part_path = patch.partPath;
    if (patch.sha256 !== undefined) set.sha256 = patch.sha256;
    if (patch.error !== undefined) set.error = patch.error;
    if (patch.taskId !== undefined) set.task_id = patch.taskId;
    if (patch.name !== undefined) set.name = patch.name;
    await this.db.updateTable("file_transfers").set(set).where("id", "=", id).execute();
    const row = await this.get(id);
    if (!row) throw new Error(`no file transfer ${id}`);
    return row;
  }

  /** Newest first; of one device, or of all. */
  async list(opts: { device?: string; limit: number }): Promise<FileTransferRecord[]> {
    let q = this.db.selectFrom("file_transfers").selectAll();
    if (opts.device !== undefined) q = q.where("device_id", "=", opts.device);
    const rows = await q.orderBy("created_at", "desc").orderBy("id").limit(opts.limit).execute();
    return rows.map(toRecord);
  }

  /** Transfers still open (an upload receiving, a download sending), e.g. after a restart. */
  async open(): Promise<FileTransferRecord[]> {
    const rows = await this.db
      .selectFrom("file_transfers")
      .selectAll()
      .where("state", "in", ["receiving", "sending"])
      .execute();
    return rows.map(toRecord);
  }
}
