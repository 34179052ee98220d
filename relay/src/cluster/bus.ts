/**
 * The node-to-node message bus of a relay cluster, as the cluster needs it:
 * fire-and-forget publish to a subject, subscriptions, and a publish that
 * gathers replies (used to confirm that every live node applied a change).
 * One implementation ships: NATS core (nats-bus.ts), chosen by measurement
 * (docs/relay.md, "Choosing the bus"). Durability is not the bus's job: qos 1
 * frames are committed to Postgres before they are forwarded.
 */

/** A message received on a subscription. */
export interface BusMessage {
  readonly data: Uint8Array;
  /** Answers a `gather` (a no-op for a plain publish). */
  respond(data: Uint8Array): void;
}

export interface ClusterBus {
  /** Sends `data` to every subscriber of `subject`; never waits. */
  publish(subject: string, data: Uint8Array): void;
  /** Calls `handler` for each message on `subject` (in the order the bus delivers them). */
  subscribe(subject: string, handler: (message: BusMessage) => void): void;
  /**
   * Publishes `data` and collects replies until `enough(replies)` holds or
   * `timeoutMs` passes; resolves with what arrived either way.
   */
  gather(
    subject: string,
    data: Uint8Array,
    enough: (replies: Uint8Array[]) => boolean,
    timeoutMs: number,
  ): Promise<Uint8Array[]>;
  /** Resolves once everything published so far has reached the bus server. */
  flush(): Promise<void>;
  /** Flushes and disconnects. */
  close(): Promise<void>;
}
