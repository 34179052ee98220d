/**
 * What a node does with the other nodes' messages (messages.ts). Messages
 * that arrive before the gateway exists (while grants are loaded at start)
 * are buffered and applied in order once it does, so a grant change made
 * elsewhere during a node's start is never missed.
 */
import { CloseCode, EventName } from "@neural-link/shared/protocol";
import type { GatewayContext } from "../gateway/context";
import { deliverLive } from "../gateway/frame-router";
import { RoutedFrame } from "../gateway/routed-frame";
import type { BusMessage } from "./bus";
import type { Cluster } from "./cluster";
import { type BusEvent, type Claim, decodeEvent, encodeEvent, laterClaim } from "./messages";
import { exportSession } from "./session-transfer";

/** Largest number of claims in one snapshot message. */
const SNAPSHOT_CHUNK = 1000;
const EMPTY = new Uint8Array(0);

export class ClusterInbound {
  private ctx: GatewayContext | null = null;
  private buffered: BusMessage[] | null = [];

  constructor(private readonly cluster: Cluster) {
    cluster.bus.subscribe(cluster.broadcastSubject, (m) => this.receive(m));
    cluster.bus.subscribe(cluster.subjectOf(cluster.node), (m) => this.receive(m));
  }

  /** The gateway is ready: applies what was buffered, then handles messages as they come, and starts heartbeats. */
  attach(ctx: GatewayContext): void {
    this.ctx = ctx;
    const waiting = this.buffered ?? [];
    this.buffered = null;
    for (const m of waiting) this.receive(m);
    this.cluster.start((now) => this.tick(now));
  }

  private receive(message: BusMessage): void {
    if (this.buffered !== null) return void this.buffered.push(message);
    const event = decodeEvent(message.data);
    if (event === null) return this.cluster.log.warn("undecodable bus message dropped");
    try {
      this.handle(event, message);
    } catch (err) {
      this.cluster.log.error(
        { err: err instanceof Error ? err.message : String(err), kind: event.k },
        "bus message failed",
      );
    }
  }

  private handle(event: BusEvent, message: BusMessage): void {
    const ctx = this.ctx!;
    const { cluster } = this;
    switch (event.k) {
      case "hb":
        if (event.node === cluster.node) return cluster.noteBusLag(Math.max(0, ctx.now() - event.at) / 1000);
        if (cluster.directory.seen(event.node, ctx.now())) this.sendSnapshot(event.node);
        return;
      case "leave":
        if (event.node !== cluster.node) this.forgetNode(event.node, "left");
        return;
      case "claim":
        if (event.claim.node === cluster.node) return;
        this.applyClaim(event.device, event.claim);
        return message.respond(EMPTY);
      case "release":
        if (cluster.directory.release(event.device, event.claim) && !ctx.registry.isOnline(event.device))
          ctx.presence.announce(event.device, false);
        return;
      case "snapshot":
        for (const [device, claim] of event.claims) this.applyClaim(device, claim);
        return;
      case "grant":
        if (event.node === cluster.node) return;
        return void this.applyGrant(event).then(
          () => message.respond(EMPTY),
          (err: unknown) =>
            cluster.log.error({ err: err instanceof Error ? err.message : String(err) }, "remote grant change failed"),
        );
      case "frame": {
        cluster.stats.forwardedIn += 1;
        const frame = RoutedFrame.ofText(event);
        // The device moved on meanwhile: a qos 1 frame follows it once (its copy is stored anyway).
        if (!deliverLive(ctx, event.to, frame) && event.qos === 1 && event.hop === 0)
          cluster.sendFrame(event.to, frame, 1);
        return;
      }
      case "pair":
        ctx.registry
          .liveSession(event.to)
          ?.emit(EventName.PAIR_REQUEST, { rendezvous: event.rendezvous, from: event.from, body: event.body });
        return;
      case "take": {
        if (event.node === cluster.node) return;
        // A newer connection resumes this session elsewhere: as on one node, the older one is closed 4006.
        const session = ctx.registry.surrender(
          event.session,
          event.device,
          CloseCode.SESSION_REPLACED,
          "session resumed by a newer connection",
        );
        if (session === undefined) return message.respond(EMPTY);
        cluster.evicted(event.device);
        return message.respond(new TextEncoder().encode(JSON.stringify(exportSession(session))));
      }
      default: {
        const never: never = event;
        return never;
      }
    }
  }

  /** The later claim wins: a device connected here with an earlier one is closed 4006. */
  private applyClaim(device: string, claim: Claim): void {
    const ctx = this.ctx!;
    const { cluster } = this;
    const mine = cluster.localClaims.get(device);
    if (mine !== undefined && ctx.registry.isOnline(device)) {
      // Ours is later: the other node closes its own connection when our claim reaches it.
      if (!laterClaim(claim, mine)) return;
      cluster.evicted(device);
      ctx.registry.evict(device, CloseCode.SESSION_REPLACED, "session replaced by a newer connection");
      cluster.directory.claim(device, claim);
      return; // online throughout: no PRESENCE, as for a takeover on one node
    }
    const wasOnline = ctx.registry.isOnline(device) || cluster.directory.locate(device) !== undefined;
    if (cluster.directory.claim(device, claim) && !wasOnline) ctx.presence.announce(device, true);
  }

  private async applyGrant(event: BusEvent & { k: "grant" }): Promise<void> {
    const ctx = this.ctx!;
    ctx.grants.apply(event.granter, event.grantee, event.granted);
    // A SEND this node accepted before the REVOKE reached it may commit after the revoker's delete: delete again behind
    // it.
    if (!event.granted) await ctx.queue.dropFromSender(event.granter, event.grantee);
    ctx.presence.relationChanged(event.granter, event.grantee);
  }

  private sendSnapshot(node: string): void {
    const claims = [...this.cluster.localClaims];
    for (let i = 0; i < claims.length; i += SNAPSHOT_CHUNK) {
      this.cluster.bus.publish(
        this.cluster.subjectOf(node),
        encodeEvent({ k: "snapshot", node: this.cluster.node, claims: claims.slice(i, i + SNAPSHOT_CHUNK) }),
      );
    }
  }

  private forgetNode(node: string, why: string): void {
    const ctx = this.ctx!;
    const gone = this.cluster.directory.forgetNode(node);
    this.cluster.log.warn({ lost: node, why, devices: gone.length }, "node left the cluster");
    for (const device of gone) if (!ctx.registry.isOnline(device)) ctx.presence.announce(device, false);
  }

  /** Each heartbeat: nodes silent past their lease are dead. */
  private tick(now: number): void {
    for (const node of this.cluster.directory.expired(now, this.cluster.settings.nodeTimeoutMs))
      this.forgetNode(node, "silent");
  }
}
