/**
 * SQL for the offline queue of qos 1 frames (table `frames`). Functions take
 * a Kysely or a transaction so the write batcher can group them.
 */
import { type Kysely, sql } from "kysely";
import type { RelayDatabase } from "./schema";

export interface StoredFrame {
  seq: number;
  recipient: string;
  sender: string;
  id: string;
  body: string;
  size: number;
  ts: number;
  expiresAt: number;
}

export type NewFrame = Omit<StoredFrame, "seq">;

type Db = Kysely<RelayDatabase>;

const toNumber = (v: string | number | bigint): number => Number(v);

/** Inserts frames; returns the keys actually inserted (a duplicate `recipient, sender, id` is skipped). */
export async function insertFrames(db: Db, frames: readonly NewFrame[]): Promise<Set<string>> {
  if (frames.length === 0) return new Set();
  const rows = await db
    .insertInto("frames")
    .values(
      frames.map((f) => ({
        recipient: f.recipient,
        sender: f.sender,
        id: f.id,
        body: f.body,
        size: f.size,
        ts: f.ts,
        expires_at: f.expiresAt,
      })),
    )
    .onConflict((oc) => oc.columns(["recipient", "sender", "id"]).doNothing())
    .returning(["recipient", "sender", "id"])
    .execute();
  return new Set(rows.map((r) => frameKey(r.recipient, r.sender, r.id)));
}

export function frameKey(recipient: string, sender: string, id: string): string {
  return `${recipient}\0${sender}\0${id}`;
}

/** Deletes a recipient's frames by id; returns the sizes removed. */
export async function deleteByIds(db: Db, recipient: string, ids: readonly string[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .deleteFrom("frames")
    .where("recipient", "=", recipient)
    .where("id", "in", ids)
    .returning("size")
    .execute();
  return rows.map((r) => r.size);
}

/** Deletes every frame from `sender` stored for `recipient` (REVOKE). */
export async function deleteFromSender(db: Db, recipient: string, sender: string): Promise<number[]> {
  const rows = await db
    .deleteFrom("frames")
    .where("recipient", "=", recipient)
    .where("sender", "=", sender)
    .returning("size")
    .execute();
  return rows.map((r) => r.size);
}

/** Removes expired frames; returns recipient and size of each. */
export async function deleteExpired(
  db: Db,
  now: number,
  limit: number,
): Promise<{ recipient: string; size: number }[]> {
  const victims = db.selectFrom("frames").select("seq").where("expires_at", "<=", now).orderBy("seq").limit(limit);
  return db.deleteFrom("frames").where("seq", "in", victims).returning(["recipient", "size"]).execute();
}

/** A page of a recipient's unexpired frames in accept order, after `afterSeq`. */
export async function listPending(
  db: Db,
  recipient: string,
  afterSeq: number,
  limit: number,
  now: number,
): Promise<StoredFrame[]> {
  const rows = await db
    .selectFrom("frames")
    .selectAll()
    .where("recipient", "=", recipient)
    .where("seq", ">", afterSeq)
    .where("expires_at", ">", now)
    .orderBy("seq")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    seq: toNumber(r.seq),
    recipient: r.recipient,
    sender: r.sender,
    id: r.id,
    body: r.body,
    size: r.size,
    ts: toNumber(r.ts),
    expiresAt: toNumber(r.expires_at),
  }));
}

/** Whether this exact frame is stored (used to tell an idempotent retry from a new frame when full). */
export async function isStored(db: Db, recipient: string, sender: string, id: string): Promise<boolean> {
  const row = await db
    .selectFrom("frames")
    .select("seq")
    .where("recipient", "=", recipient)
    .where("sender", "=", sender)
    .where("id", "=", id)
    .executeTakeFirst();
  return row !== undefined;
}

/** Frames and bytes stored per recipient, to seed the in-memory limit counters at start. */
export async function usageByRecipient(db: Db): Promise<Map<string, { frames: number; bytes: number }>> {
  const rows = await db
    .selectFrom("frames")
    .select(["recipient", sql<string>`count(*)`.as("frames"), sql<string>`coalesce(sum(size), 0)`.as("bytes")])
    .groupBy("recipient")
    .execute();
  return new Map(rows.map((r) => [r.recipient, { frames: Number(r.frames), bytes: Number(r.bytes) }]));
}
