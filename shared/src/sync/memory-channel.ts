import type { NotesSend, NotesType } from "./messages";

/** A message in flight on a `MemoryChannel`. */
export interface QueuedMessage {
  t: NotesType;
  d: unknown;
  qos: 0 | 1;
}

/**
 * One direction of an in-memory link, for tests and benchmarks that run the
 * real sync sessions without a relay. Messages go through a JSON round trip,
 * as inside a real envelope, and wait in order until `flush()` delivers them,
 * so a test decides when the network moves. Offline, qos 0 messages are lost
 * and qos 1 messages wait (as the relay's queue keeps them).
 */
export class MemoryChannel {
  private readonly queue: QueuedMessage[] = [];
  /** Bytes of JSON sent so far (what the envelopes would carry). */
  sentBytes = 0;
  online = true;

  constructor(private readonly deliver: (t: NotesType, d: unknown) => void) {}

  readonly send: NotesSend = (t, d, qos) => {
    if (!this.online && qos === 0) return;
    const json = JSON.stringify(d);
    this.sentBytes += json.length;
    this.queue.push({ t, d: JSON.parse(json) as unknown, qos });
  };

  get pending(): number {
    return this.queue.length;
  }

  /** Delivers queued messages in order while online; returns how many. */
  flush(): number {
    let n = 0;
    while (this.online && this.queue.length > 0) {
      const m = this.queue.shift()!;
      this.deliver(m.t, m.d);
      n++;
    }
    return n;
  }

  /** Drops everything queued (a peer that went away for good). */
  clear(): void {
    this.queue.length = 0;
  }
}
