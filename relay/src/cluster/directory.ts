/**
 * Where other nodes' devices are: each node keeps, in memory, the devices
 * connected on every other live node, learned from their claim, release
 * and snapshot messages, and forgets a node's devices when its heartbeats
 * stop for `nodeTimeoutMs` (its lease) or when it says it leaves. The hot
 * SEND path looks a recipient up here without any I/O.
 */
import { type Claim, laterClaim, sameClaim } from "./messages";

export class NodeDirectory {
  /** device -> its claim on another node */
  private readonly remote = new Map<string, Claim>();
  /** node -> last heartbeat received (local clock) */
  private readonly nodes = new Map<string, number>();

  constructor(private readonly self: string) {}

  get remoteDevices(): number {
    return this.remote.size;
  }

  /** Live nodes other than this one. */
  liveNodes(): string[] {
    return [...this.nodes.keys()];
  }

  /** Live nodes heard from within `withinMs`: those expected to answer now (a killed one stops at once). */
  recentNodes(now: number, withinMs: number): string[] {
    return [...this.nodes].filter(([, at]) => now - at <= withinMs).map(([node]) => node);
  }

  isLive(node: string): boolean {
    return this.nodes.has(node);
  }

  /** Records a heartbeat; true if the node was not known (it gets a snapshot). */
  seen(node: string, now: number): boolean {
    if (node === this.self) return false;
    const known = this.nodes.has(node);
    this.nodes.set(node, now);
    return !known;
  }

  /** The node a device is connected on, if another live node holds it. */
  locate(device: string): string | undefined {
    return this.remote.get(device)?.node;
  }

  claimOf(device: string): Claim | undefined {
    return this.remote.get(device);
  }

  /** Records a remote claim unless a later one is known; true if it was recorded. */
  claim(device: string, claim: Claim): boolean {
    if (claim.node === this.self) return false;
    const current = this.remote.get(device);
    if (current !== undefined && !laterClaim(claim, current)) return false;
    this.remote.set(device, claim);
    return true;
  }

  /** Ends a remote claim if it is still the current one; true if it was. */
  release(device: string, claim: Claim): boolean {
    const current = this.remote.get(device);
    if (current === undefined || !sameClaim(current, claim)) return false;
    this.remote.delete(device);
    return true;
  }

  /** Forgets a device's remote entry (it connected here with a later claim). */
  drop(device: string): void {
    this.remote.delete(device);
  }

  /** Forgets a node and its devices; returns the devices it held. */
  forgetNode(node: string): string[] {
    this.nodes.delete(node);
    const gone: string[] = [];
    for (const [device, claim] of this.remote) {
      if (claim.node === node) {
        this.remote.delete(device);
        gone.push(device);
      }
    }
    return gone;
  }

  /** Nodes whose last heartbeat is older than `timeoutMs`. */
  expired(now: number, timeoutMs: number): string[] {
    return [...this.nodes].filter(([, at]) => now - at > timeoutMs).map(([node]) => node);
  }
}
