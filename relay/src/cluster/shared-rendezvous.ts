/**
 * Pairing rendezvous shared by the nodes of a cluster, in Postgres: a
 * desktop may open one on one node and the phone send its PAIR_REQUEST on
 * another, with the same rules as a single relay's in-memory registry
 * (gateway/rendezvous-registry.ts): at most `pairMaxOpenPerDevice` per
 * device, `rendezvous_taken` for another device's, closed after
 * `pairMaxRequests` requests or at its ttl.
 */
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { OpError } from "../errors";
import type { RendezvousBook } from "../gateway/rendezvous-book";
import type { RendezvousLimits } from "../gateway/rendezvous-registry";
import {
  countOpenBy,
  countRequest,
  deleteRendezvous,
  openerOf,
  sweepRendezvous,
  upsertRendezvous,
} from "../storage/rendezvous-store";
import type { RelayDatabase } from "../storage/schema";

export class SharedRendezvous implements RendezvousBook {
  private open = 0;

  constructor(
    private readonly db: Kysely<RelayDatabase>,
    private readonly limits: RendezvousLimits,
    private readonly log: Logger,
  ) {}

  /** As of the last sweep (the whole cluster's count). */
  get size(): number {
    return this.open;
  }

  async openFor(device: string, rendezvous: string, ttlS: number, now: number): Promise<void> {
    if (ttlS > this.limits.pairMaxTtlS) throw new OpError("bad_request", `ttl_s is at most ${this.limits.pairMaxTtlS}`);
    const current = await openerOf(this.db, rendezvous, now);
    if (current !== undefined && current !== device)
      throw new OpError("rendezvous_taken", "the rendezvous is open elsewhere");
    if (
      current === undefined &&
      (await countOpenBy(this.db, device, rendezvous, now)) >= this.limits.pairMaxOpenPerDevice
    ) {
      throw new OpError(
        "too_many_rendezvous",
        `at most ${this.limits.pairMaxOpenPerDevice} rendezvous open per device`,
      );
    }
    // Two nodes opening the same rendezvous at once: the upsert lets one of them have it.
    if (!(await upsertRendezvous(this.db, rendezvous, device, now + ttlS * 1000, now)))
      throw new OpError("rendezvous_taken", "the rendezvous is open elsewhere");
  }

  async request(rendezvous: string, now: number): Promise<string> {
    const row = await countRequest(this.db, rendezvous, now);
    if (row === undefined) throw new OpError("rendezvous_closed", "no such rendezvous is open");
    if (row.requests >= this.limits.pairMaxRequests) await deleteRendezvous(this.db, rendezvous);
    return row.opener;
  }

  openerOf(rendezvous: string, now: number): Promise<string | undefined> {
    return openerOf(this.db, rendezvous, now);
  }

  async close(device: string, rendezvous: string, now: number): Promise<void> {
    const opener = await openerOf(this.db, rendezvous, now);
    if (opener === undefined) return;
    if (opener !== device) throw new OpError("rendezvous_taken", "the rendezvous belongs to another device");
    await deleteRendezvous(this.db, rendezvous, device);
  }

  sweep(now: number): void {
    sweepRendezvous(this.db, now).then(
      (open) => (this.open = open),
      (err: unknown) =>
        this.log.warn({ err: err instanceof Error ? err.message : String(err) }, "rendezvous sweep failed"),
    );
  }
}
