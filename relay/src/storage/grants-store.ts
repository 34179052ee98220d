/** SQL for durable grants (table `grants`, docs/protocol.md section 7). */
import type { Kysely } from "kysely";
import type { RelayDatabase } from "./schema";

type Db = Kysely<RelayDatabase>;

export async function insertGrant(db: Db, granter: string, grantee: string, now: number): Promise<void> {
  await db
    .insertInto("grants")
    .values({ granter, grantee, created_at: now })
    .onConflict((oc) => oc.columns(["granter", "grantee"]).doNothing())
    .execute();
}

export async function deleteGrant(db: Db, granter: string, grantee: string): Promise<void> {
  await db.deleteFrom("grants").where("granter", "=", granter).where("grantee", "=", grantee).execute();
}

/** Every grant, to build the in-memory index at start. */
export async function allGrants(db: Db): Promise<{ granter: string; grantee: string }[]> {
  return db.selectFrom("grants").select(["granter", "grantee"]).execute();
}
