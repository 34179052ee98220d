/**
 * PRESENCE between mutual peers only (docs/protocol.md section 7): a device
 * learns that another is online only if each has granted the other.
 */
import type { GrantIndex } from "../storage/grant-index";
import type { SessionRegistry } from "./session-registry";

export class Presence {
  constructor(
    private readonly grants: GrantIndex,
    private readonly registry: () => SessionRegistry,
  ) {}

  /** Mutual peers of `device` that are connected now. */
  peersOnline(device: string): string[] {
    const registry = this.registry();
    return this.grants.mutualPeers(device).filter((peer) => registry.isOnline(peer));
  }

  /** Tells every connected mutual peer that `device` came online or went offline. */
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
    if (sa === undefined || sb === undefined) {
      // One is offline: a live one that believed the other online must hear otherwise.
      sa?.notePresence(b, false);
      sb?.notePresence(a, false);
      return;
    }
    const mutual = this.grants.mutual(a, b);
    sa.notePresence(b, mutual);
    sb.notePresence(a, mutual);
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
