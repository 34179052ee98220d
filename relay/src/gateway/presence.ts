/**
 * PRESENCE between mutual peers only (docs/protocol.md section 7): a device
 * learns that another is online only if each has granted the other. In a
 * cluster a device counts online when it is connected on any node; each
 * node tells its own connected devices (cluster/cluster-inbound.ts calls
 * `announce` and `relationChanged` for what happens on other nodes).
 */
import type { GrantIndex } from "../storage/grant-index";
import type { SessionRegistry } from "./session-registry";

export class Presence {
  constructor(
    private readonly grants: GrantIndex,
    private readonly registry: () => SessionRegistry,
    /** Whether another node of the cluster holds the device; always false for a single relay. */
    private readonly onOtherNode: (device: string) => boolean = () => false,
  ) {}

  private online(device: string): boolean {
    return this.registry().isOnline(device) || this.onOtherNode(device);
  }

  /** Mutual peers of `device` that are connected now. */
  peersOnline(device: string): string[] {
    return this.grants.mutualPeers(device).filter((peer) => this.online(peer));
  }

  /** Tells every mutual peer connected here that `device` came online or went offline. */
  announce(device: string, online: boolean): void {
    const registry = this.registry();
    for (const peer of this.grants.mutualPeers(device)) registry.liveSession(peer)?.notePresence(device, online);
  }

  /**
   * After a grant or revoke between a and b: when they become (or stop
   * being) mutual peers while both are connected, each is told, so that what
   * a device believes about its peers stays true. Documented in docs/relay.md.
   */
  relationChanged(a: string, b: string): void {
    const registry = this.registry();
    const sa = registry.liveSession(a);
    const sb = registry.liveSession(b);
    // One is offline: a live one that believed the other online must hear otherwise.
    const mutual = this.online(a) && this.online(b) && this.grants.mutual(a, b);
    sa?.notePresence(b, mutual);
    sb?.notePresence(a, mutual);
  }

  /** Brings a resumed session's idea of its peers up to date. */
  catchUp(device: string): void {
    const session = this.registry().liveSession(device);
    if (session === undefined) return;
    const online = new Set(this.peersOnline(device));
    for (const peer of [...session.toldOnline]) if (!online.has(peer)) session.notePresence(peer, false);
    for (const peer of online) session.notePresence(peer, true);
  }
}
