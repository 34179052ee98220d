/**
 * What the pairing ops need from the open rendezvous (docs/protocol.md
 * section 10). A single relay keeps them in memory (rendezvous-registry.ts); the
 * nodes of a cluster share them in Postgres (cluster/shared-rendezvous.ts).
 * Each method may answer at once or later; failures are OpErrors.
 */
export interface RendezvousBook {
  /** Open rendezvous, for /metrics. */
  readonly size: number;
  /** Opens (or, for its own opener, renews) a rendezvous. */
  openFor(device: string, rendezvous: string, ttlS: number, now: number): void | Promise<void>;
  /** Counts a request; returns the opener. Throws `rendezvous_closed`. */
  request(rendezvous: string, now: number): string | Promise<string>;
  /** The opener of an open rendezvous, without counting a request. */
  openerOf(rendezvous: string, now: number): string | undefined | Promise<string | undefined>;
  /** Closes a rendezvous; only its opener may. */
  close(device: string, rendezvous: string, now: number): void | Promise<void>;
  /** Drops expired rendezvous (never throws). */
  sweep(now: number): void;
}
