/**
 * Pairing rendezvous (docs/protocol.md section 10): a desktop opens one for a QR
 * code's lifetime; a phone's PAIR_REQUEST is forwarded to the opener and
 * never stored. Held in memory only: a relay restart closes them all, and
 * the desktop simply shows a new QR code.
 */
import { OpError } from "../errors";

interface Rendezvous {
  opener: string;
  expiresAt: number;
  requests: number;
}

export interface RendezvousLimits {
  pairMaxTtlS: number;
  pairMaxOpenPerDevice: number;
  pairMaxRequests: number;
}

export class RendezvousRegistry {
  private readonly open = new Map<string, Rendezvous>();
  private readonly perDevice = new Map<string, Set<string>>();

  constructor(private readonly limits: RendezvousLimits) {}

  get size(): number {
    return this.open.size;
  }

  private live(rendezvous: string, now: number): Rendezvous | undefined {
    const r = this.open.get(rendezvous);
    if (r !== undefined && r.expiresAt <= now) {
      this.remove(rendezvous);
      return undefined;
    }
    return r;
  }

  /** Opens (or, for its own opener, renews) a rendezvous. Throws OpError. */
  openFor(device: string, rendezvous: string, ttlS: number, now: number): void {
    if (ttlS > this.limits.pairMaxTtlS) throw new OpError("bad_request", `ttl_s is at most ${this.limits.pairMaxTtlS}`);
    const existing = this.live(rendezvous, now);
    if (existing !== undefined && existing.opener !== device)
      throw new OpError("rendezvous_taken", "the rendezvous is open elsewhere");
    if (existing === undefined) {
      this.sweepDevice(device, now);
      const mine = this.perDevice.get(device);
      if ((mine?.size ?? 0) >= this.limits.pairMaxOpenPerDevice) {
        throw new OpError(
          "too_many_rendezvous",
          `at most ${this.limits.pairMaxOpenPerDevice} rendezvous open per device`,
        );
      }
    }
    this.open.set(rendezvous, { opener: device, expiresAt: now + ttlS * 1000, requests: existing?.requests ?? 0 });
    let mine = this.perDevice.get(device);
    if (mine === undefined) {
      mine = new Set();
      this.perDevice.set(device, mine);
    }
    mine.add(rendezvous);
  }

  /**
   * Counts a request and returns the opener to forward it to; the caller
   * checks that the opener is online. Throws `rendezvous_closed`.
   */
  request(rendezvous: string, now: number): string {
    const r = this.live(rendezvous, now);
    if (r === undefined) throw new OpError("rendezvous_closed", "no such rendezvous is open");
    r.requests += 1;
    if (r.requests >= this.limits.pairMaxRequests) this.remove(rendezvous);
    return r.opener;
  }

  /** The opener of an open rendezvous, without counting a request. */
  openerOf(rendezvous: string, now: number): string | undefined {
    return this.live(rendezvous, now)?.opener;
  }

  /** Closes a rendezvous; only its opener may. Closing one that is not open is harmless. */
  close(device: string, rendezvous: string, now: number): void {
    const r = this.live(rendezvous, now);
    if (r === undefined) return;
    if (r.opener !== device) throw new OpError("rendezvous_taken", "the rendezvous belongs to another device");
    this.remove(rendezvous);
  }

  /** Drops expired rendezvous. */
  sweep(now: number): void {
    for (const [key, r] of this.open) if (r.expiresAt <= now) this.remove(key);
  }

  private sweepDevice(device: string, now: number): void {
    for (const key of [...(this.perDevice.get(device) ?? [])]) this.live(key, now);
  }

  private remove(rendezvous: string): void {
    const r = this.open.get(rendezvous);
    if (r === undefined) return;
    this.open.delete(rendezvous);
    const mine = this.perDevice.get(r.opener);
    mine?.delete(rendezvous);
    if (mine?.size === 0) this.perDevice.delete(r.opener);
  }
}
