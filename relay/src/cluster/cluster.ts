/**
 * A relay node's membership of a cluster (docs/relay.md, "Running a
 * cluster"): it tells the other nodes which devices connect and leave here
 * (claims), keeps a directory of theirs, forwards frames and pair requests
 * for remote devices to their node in one bus hop, applies grant changes
 * made elsewhere, and watches node liveness. Incoming messages are handled
 * in cluster-inbound.ts.
 */
import { randomBytes } from "node:crypto";
import type { RoutedFrame } from "../gateway/routed-frame";
import type { Logger } from "pino";
import type { SessionRegistry } from "../gateway/session-registry";
import type { ClusterBus } from "./bus";
import type { ClusterSettings } from "./cluster-settings";
import { NodeDirectory } from "./directory";
import { ForwardLanes, type LaneTicket } from "./forward-lanes";
import { type BusEvent, type Claim, encodeEvent } from "./messages";
import { decodeTransfer, importSession } from "./session-transfer";

export interface ClusterStats {
  forwardedOut: number;
  forwardedIn: number;
  /** Frames for a device no node was known to hold (qos 0 dropped; qos 1 waits in storage). */
  unrouted: number;
  evictions: number;
  /** Seconds this node's last heartbeat took through the bus and back. */
  busLagS: number;
  busLagMaxS: number;
  confirmTimeouts: number;
  /** Sessions taken over from other nodes for a resume. */
  sessionsMoved: number;
}

export class Cluster {
  readonly node: string;
  readonly directory: NodeDirectory;
  readonly stats: ClusterStats = {
    forwardedOut: 0,
    forwardedIn: 0,
    unrouted: 0,
    evictions: 0,
    busLagS: 0,
    busLagMaxS: 0,
    confirmTimeouts: 0,
    sessionsMoved: 0,
  };
  /** Claims of the devices connected here. */
  readonly localClaims = new Map<string, Claim>();
  private readonly lanes: ForwardLanes;
  private readonly pendingClaims = new Map<string, Promise<void>>();
  /** Devices claimed by preclaim whose attachment has not claimed yet. */
  private readonly preclaimed = new Set<string>();
  private counter = 0;
  private timer: NodeJS.Timeout | null = null;
  readonly log: Logger;

  constructor(
    readonly bus: ClusterBus,
    readonly settings: ClusterSettings,
    log: Logger,
    private readonly now: () => number,
  ) {
    this.node = `${settings.nodeName}-${randomBytes(4).toString("hex")}`;
    this.directory = new NodeDirectory(this.node);
    this.lanes = new ForwardLanes((to, frame) => this.sendFrame(to, frame, 0));
    this.log = log.child({ mod: "relay/cluster", node: this.node });
  }

  get broadcastSubject(): string {
    return `${this.settings.subjectPrefix}.all`;
  }

  subjectOf(node: string): string {
    return `${this.settings.subjectPrefix}.node.${node}`;
  }

  /** Starts heartbeats (the first at once, so the others learn of this node quickly). */
  start(onTick: (now: number) => void): void {
    const beat = () => {
      const now = this.now();
      this.bus.publish(this.broadcastSubject, encodeEvent({ k: "hb", node: this.node, at: now }));
      onTick(now);
    };
    beat();
    this.timer = setInterval(beat, this.settings.heartbeatMs);
    this.timer.unref();
  }

  publish(subject: string, event: BusEvent): void {
    this.bus.publish(subject, encodeEvent(event));
  }

  /** The node a device is connected on, if it is another live node. */
  locate(device: string): string | undefined {
    return this.directory.locate(device);
  }

  /**
   * Claims a device before its READY or RESUMED (gateway/connection.ts,
   * joinCluster); the claim its attachment makes right after is then skipped.
   */
  preclaim(device: string): void {
    this.broadcastClaim(device);
    this.preclaimed.add(device);
  }

  /** A device connected here: tell the others; `claimed` resolves once they have applied it. */
  claim(device: string): void {
    if (!this.preclaimed.delete(device)) this.broadcastClaim(device);
  }

  /** The device was closed 4006 because it connected on another node. */
  evicted(device: string): void {
    this.localClaims.delete(device);
    this.preclaimed.delete(device);
    this.stats.evictions += 1;
  }

  private broadcastClaim(device: string): void {
    const claim: Claim = { at: this.now(), node: this.node, n: ++this.counter };
    this.localClaims.set(device, claim);
    this.directory.drop(device);
    const done = this.confirm({ k: "claim", device, claim }).finally(() => {
      if (this.pendingClaims.get(device) === done) this.pendingClaims.delete(device);
    });
    this.pendingClaims.set(device, done);
  }

  /**
   * Resolves once every live node has applied this device's latest claim (or
   * after confirmTimeoutMs). The backlog is read only then: a node that
   * committed a frame for the device and forwarded it to the device's old
   * node did so before confirming, so the read finds it in storage.
   */
  claimed(device: string): Promise<void> {
    return this.pendingClaims.get(device) ?? Promise.resolve();
  }

  /** A device's connection here ended (not replaced): tell the others. */
  release(device: string): void {
    this.preclaimed.delete(device);
    const claim = this.localClaims.get(device);
    if (claim === undefined) return;
    this.localClaims.delete(device);
    this.publish(this.broadcastSubject, { k: "release", device, claim });
  }

  /** A committed GRANT or REVOKE: resolves once every live node has applied it (or after the timeout). */
  async grantChanged(granter: string, grantee: string, granted: boolean): Promise<void> {
    await this.confirm({ k: "grant", node: this.node, granter, grantee, granted });
  }

  /**
   * Publishes to every node and waits for each node heard from within the
   * last two heartbeats to answer: a node silent longer is probably gone, and
   * waiting for it until its lease ends would hold up every reconnection
   * after a node is killed.
   */
  private async confirm(event: BusEvent): Promise<void> {
    const expected = this.directory.recentNodes(this.now(), 2 * this.settings.heartbeatMs).length;
    if (expected === 0) return this.bus.publish(this.broadcastSubject, encodeEvent(event));
    const replies = await this.bus.gather(
      this.broadcastSubject,
      encodeEvent(event),
      (r) => r.length >= expected,
      this.settings.confirmTimeoutMs,
    );
    if (replies.length < expected) {
      this.stats.confirmTimeouts += 1;
      this.log.warn({ kind: event.k, expected, got: replies.length }, "not every node confirmed in time");
    }
  }

  /**
   * Asks the other nodes for a session this node does not hold (a resume
   * that landed here) and adopts it; false if no node answers with it within
   * confirmTimeoutMs (the resume is then refused with INVALID_SESSION).
   */
  async takeSession(session: string, device: string, registry: SessionRegistry): Promise<boolean> {
    const expected = this.directory.recentNodes(this.now(), 2 * this.settings.heartbeatMs).length;
    if (expected === 0) return false;
    const replies = await this.bus.gather(
      this.broadcastSubject,
      encodeEvent({ k: "take", node: this.node, session, device }),
      (r) => r.some((d) => d.length > 0) || r.length >= expected,
      this.settings.confirmTimeoutMs,
    );
    for (const reply of replies) {
      const transfer = decodeTransfer(reply);
      if (transfer === null || transfer.id !== session || transfer.device !== device) continue;
      importSession(registry, transfer);
      this.stats.sessionsMoved += 1;
      return true;
    }
    return false;
  }

  /** Forwards a qos 0 frame (or one already committed); false when no node holds the device. */
  forward(to: string, frame: RoutedFrame): boolean {
    if (this.directory.locate(to) === undefined) {
      this.stats.unrouted += 1;
      return false;
    }
    this.lanes.push(to, frame);
    return true;
  }

  /** Reserves the place of a qos 1 frame that will be forwarded after its commit. */
  reserve(to: string, frame: RoutedFrame): LaneTicket {
    return this.lanes.reserve(to, frame);
  }

  /** Publishes a frame to the node holding `to` now; `hop` counts re-forwards. */
  sendFrame(to: string, frame: RoutedFrame, hop: number): void {
    const node = this.directory.locate(to);
    if (node === undefined) {
      this.stats.unrouted += 1;
      return;
    }
    this.stats.forwardedOut += 1;
    this.publish(this.subjectOf(node), {
      k: "frame",
      to,
      id: frame.id,
      from: frame.from,
      body: frame.body,
      qos: frame.qos,
      ts: frame.ts,
      hop,
    });
  }

  /** Forwards a PAIR_REQUEST to the node holding the opener; false when none does. */
  forwardPair(to: string, rendezvous: string, from: string, body: string): boolean {
    const node = this.directory.locate(to);
    if (node === undefined) return false;
    this.publish(this.subjectOf(node), { k: "pair", to, rendezvous, from, body });
    return true;
  }

  noteBusLag(seconds: number): void {
    this.stats.busLagS = seconds;
    this.stats.busLagMaxS = Math.max(this.stats.busLagMaxS, seconds);
  }

  /** Prometheus series of the cluster (appended to /metrics). */
  metricLines(): string[] {
    const s = this.stats;
    const series = (name: string, type: string, help: string, values: [string, number][]) => [
      `# HELP ${name} ${help}`,
      `# TYPE ${name} ${type}`,
      ...values.map(([l, v]) => `${name}${l} ${v}`),
    ];
    return [
      ...series("nlink_relay_cluster_nodes", "gauge", "Live nodes of the cluster seen by this node, itself included.", [
        ["", this.directory.liveNodes().length + 1],
      ]),
      ...series("nlink_relay_cluster_remote_devices", "gauge", "Devices connected on other nodes.", [
        ["", this.directory.remoteDevices],
      ]),
      ...series("nlink_relay_cluster_forwards_total", "counter", "Frames forwarded over the bus, by direction.", [
        ['{direction="out"}', s.forwardedOut],
        ['{direction="in"}', s.forwardedIn],
      ]),
      ...series("nlink_relay_cluster_unrouted_total", "counter", "Frames for a device no node was known to hold.", [
        ["", s.unrouted],
      ]),
      ...series(
        "nlink_relay_cluster_evictions_total",
        "counter",
        "Connections closed 4006 because the device connected on another node.",
        [["", s.evictions]],
      ),
      ...series(
        "nlink_relay_cluster_confirm_timeouts_total",
        "counter",
        "Claims or grant changes not confirmed by every node in time.",
        [["", s.confirmTimeouts]],
      ),
      ...series(
        "nlink_relay_cluster_sessions_moved_total",
        "counter",
        "Sessions taken over from another node for a resume.",
        [["", s.sessionsMoved]],
      ),
      ...series(
        "nlink_relay_cluster_bus_lag_seconds",
        "gauge",
        "Time this node's last heartbeat took through the bus and back.",
        [["", s.busLagS]],
      ),
      ...series("nlink_relay_cluster_bus_lag_max_seconds", "gauge", "Largest bus lag seen since start.", [
        ["", s.busLagMaxS],
      ]),
    ];
  }

  /** Says goodbye (the others forget this node's devices at once) and disconnects. */
  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.publish(this.broadcastSubject, { k: "leave", node: this.node });
    await this.bus.close();
  }
}
