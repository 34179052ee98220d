import type { Generated, Kysely } from "kysely";
import * as Y from "yjs";
import type { Database } from "../store/schema";

/** Row types of migration 050 (desktop/src/hub/store/migrations/050-docs.ts). */
// A type alias, not an interface: Kysely's `withTables` wants an index-signature-compatible record.
export type NotesTables = {
  doc_updates: { id: Generated<number>; doc: string; data: Uint8Array; created_at: number };
  doc_snapshots: { doc: string; data: Uint8Array; merged_rows: number; updated_at: number };
};

/** What is stored for one document: its snapshot and the update rows after it, oldest first. */
export interface StoredDoc {
  snapshot: Uint8Array | null;
  updates: { id: number; data: Uint8Array }[];
}

/** Rows and bytes waiting to be compacted. */
export interface PendingStats {
  rows: number;
  bytes: number;
}

/**
 * The documents' SQLite tables. Each update is one appended row (cheap,
 * crash-safe: a row is either there or not); `compact` folds the rows into
 * the snapshot in one transaction, so a crash mid-way leaves either the old
 * rows or the new snapshot, never neither.
 */
export class NotesStore {
  private readonly db: Kysely<Database & NotesTables>;

  constructor(
    db: Kysely<Database>,
    private readonly now: () => number,
  ) {
    this.db = db.withTables<NotesTables>();
  }

  async load(doc: string): Promise<StoredDoc> {
    const snap = await this.db.selectFrom("doc_snapshots").select("data").where("doc", "=", doc).executeTakeFirst();
    const rows = await this.db
      .selectFrom("doc_updates")
      .select(["id", "data"])
      .where("doc", "=", doc)
      .orderBy("id")
      .execute();
    return {
      snapshot: snap ? toBytes(snap.data) : null,
      updates: rows.map((r) => ({ id: r.id, data: toBytes(r.data) })),
    };
  }

  async append(doc: string, update: Uint8Array): Promise<void> {
    await this.db.insertInto("doc_updates").values({ doc, data: update, created_at: this.now() }).execute();
  }

  async pending(doc: string): Promise<PendingStats> {
    const row = await this.db
      .selectFrom("doc_updates")
      .select((eb) => [
        eb.fn.countAll<number>().as("rows"),
        eb.fn.coalesce(eb.fn.sum<number>(eb.fn("length", ["data"])), eb.lit(0)).as("bytes"),
      ])
      .where("doc", "=", doc)
      .executeTakeFirstOrThrow();
    return { rows: Number(row.rows), bytes: Number(row.bytes) };
  }

  /**
   * Merges the snapshot and every update row of `doc` into a new snapshot and
   * deletes those rows, in one transaction. The merge goes through a Y.Doc so
   * that deleted text is garbage-collected, not only concatenated.
   * @returns the size of the new snapshot.
   */
  async compact(doc: string): Promise<{ rows: number; bytes: number }> {
    return this.db.transaction().execute(async (trx) => {
      const snap = await trx
        .selectFrom("doc_snapshots")
        .select(["data", "merged_rows"])
        .where("doc", "=", doc)
        .executeTakeFirst();
      const rows = await trx
        .selectFrom("doc_updates")
        .select(["id", "data"])
        .where("doc", "=", doc)
        .orderBy("id")
        .execute();
      if (rows.length === 0) return { rows: 0, bytes: snap?.data.length ?? 0 };
      const scratch = new Y.Doc();
      try {
        if (snap) Y.applyUpdate(scratch, toBytes(snap.data));
        for (const r of rows) Y.applyUpdate(scratch, toBytes(r.data));
        const data = Y.encodeStateAsUpdate(scratch);
        const merged = (snap?.merged_rows ?? 0) + rows.length;
        await trx
          .insertInto("doc_snapshots")
          .values({ doc, data, merged_rows: merged, updated_at: this.now() })
          .onConflict((oc) => oc.column("doc").doUpdateSet({ data, merged_rows: merged, updated_at: this.now() }))
          .execute();
        await trx
          .deleteFrom("doc_updates")
          .where("doc", "=", doc)
          .where("id", "<=", rows[rows.length - 1]!.id)
          .execute();
        return { rows: rows.length, bytes: data.length };
      } finally {
        scratch.destroy();
      }
    });
  }
}

/** better-sqlite3 hands BLOBs back as Buffers; Yjs wants plain Uint8Arrays. */
function toBytes(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
