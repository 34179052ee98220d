/**
 * Durable grants with an in-memory index, so the hot SEND path checks a
 * grant without a query. Writes go to the database first, through the same
 * ordered write line as the queue (so an ACK sent before a GRANT is also
 * committed before it); the index follows only after commit.
 */
import type { Kysely, Transaction } from "kysely";
import { allGrants, deleteGrant, insertGrant } from "./grants-store";
import type { RelayDatabase } from "./schema";

/** Runs a write in the relay's ordered write line (WriteBatcher.task). */
export type WriteLine = <T>(run: (tx: Transaction<RelayDatabase>) => Promise<T>) => Promise<T>;

export class GrantIndex {
  /** granter -> devices it accepts frames from */
  private readonly accepts = new Map<string, Set<string>>();

  private constructor(private readonly write: WriteLine) {}

  static async open(db: Kysely<RelayDatabase>, write: WriteLine): Promise<GrantIndex> {
    const index = new GrantIndex(write);
    for (const g of await allGrants(db)) index.add(g.granter, g.grantee);
    return index;
  }

  private add(granter: string, grantee: string): void {
    let set = this.accepts.get(granter);
    if (set === undefined) {
      set = new Set();
      this.accepts.set(granter, set);
    }
    set.add(grantee);
  }

  /** Whether `granter` accepts frames from `grantee`. */
  has(granter: string, grantee: string): boolean {
    return this.accepts.get(granter)?.has(grantee) ?? false;
  }

  /** Each has granted the other. */
  mutual(a: string, b: string): boolean {
    return this.has(a, b) && this.has(b, a);
  }

  /** Devices `device` has granted that have granted it back. */
  mutualPeers(device: string): string[] {
    const mine = this.accepts.get(device);
    if (mine === undefined) return [];
    return [...mine].filter((peer) => this.has(peer, device));
  }

  /** A change another node of the cluster committed: the index follows, nothing is written. */
  apply(granter: string, grantee: string, granted: boolean): void {
    if (granted) return this.add(granter, grantee);
    this.remove(granter, grantee);
  }

  private remove(granter: string, grantee: string): void {
    const set = this.accepts.get(granter);
    set?.delete(grantee);
    if (set?.size === 0) this.accepts.delete(granter);
  }

  async grant(granter: string, grantee: string, now: number): Promise<void> {
    await this.write((tx) => insertGrant(tx, granter, grantee, now));
    this.add(granter, grantee);
  }

  async revoke(granter: string, grantee: string): Promise<void> {
    await this.write((tx) => deleteGrant(tx, granter, grantee));
    this.remove(granter, grantee);
  }
}
