/** SQL for the pairing rendezvous shared by the nodes of a cluster (table `rendezvous`). */
import { type Kysely, sql } from "kysely";
import type { RelayDatabase } from "./schema";

type Db = Kysely<RelayDatabase>;

/**
 * Opens `rendezvous` for `opener`, or renews it if the opener already holds
 * it or it has expired; returns false when another device holds it.
 */
export async function upsertRendezvous(
  db: Db,
  rendezvous: string,
  opener: string,
  expiresAt: number,
  now: number,
): Promise<boolean> {
  const row = await db
    .insertInto("rendezvous")
    .values({ rendezvous, opener, expires_at: expiresAt, requests: 0 })
    .onConflict((oc) =>
      oc
        .column("rendezvous")
        .doUpdateSet({
          opener,
          expires_at: expiresAt,
          // A renewal keeps its count; an expired one taken over starts again.
          requests: sql<number>`case when rendezvous.opener = ${opener} and rendezvous.expires_at > ${now} then rendezvous.requests else 0 end`,
        })
        .where((eb) => eb.or([eb("rendezvous.opener", "=", opener), eb("rendezvous.expires_at", "<=", now)])),
    )
    .returning("opener")
    .executeTakeFirst();
  return row !== undefined;
}

/** Unexpired rendezvous held by `opener`, other than `except`. */
export async function countOpenBy(db: Db, opener: string, except: string, now: number): Promise<number> {
  const row = await db
    .selectFrom("rendezvous")
    .select(sql<string>`count(*)`.as("n"))
    .where("opener", "=", opener)
    .where("rendezvous", "!=", except)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function openerOf(db: Db, rendezvous: string, now: number): Promise<string | undefined> {
  const row = await db
    .selectFrom("rendezvous")
    .select("opener")
    .where("rendezvous", "=", rendezvous)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return row?.opener;
}

/** Counts one request; returns the opener and the count, or undefined if none is open. */
export async function countRequest(
  db: Db,
  rendezvous: string,
  now: number,
): Promise<{ opener: string; requests: number } | undefined> {
  return db
    .updateTable("rendezvous")
    .set({ requests: sql<number>`requests + 1` })
    .where("rendezvous", "=", rendezvous)
    .where("expires_at", ">", now)
    .returning(["opener", "requests"])
    .executeTakeFirst();
}

export async function deleteRendezvous(db: Db, rendezvous: string, opener?: string): Promise<void> {
  let q = db.deleteFrom("rendezvous").where("rendezvous", "=", rendezvous);
  if (opener !== undefined) q = q.where("opener", "=", opener);
  await q.execute();
}

/** Removes expired rendezvous; returns how many are still open. */
export async function sweepRendezvous(db: Db, now: number): Promise<number> {
  await db.deleteFrom("rendezvous").where("expires_at", "<=", now).execute();
  const row = await db
    .selectFrom("rendezvous")
    .select(sql<string>`count(*)`.as("n"))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
