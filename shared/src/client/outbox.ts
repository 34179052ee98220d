/** A qos 1 frame waiting for the relay to say `stored`. */
export interface OutboxFrame {
  id: string;
  to: string;
  /** b64u of the sealed envelope, as SEND carries it. */
  body: string;
  qos: 0 | 1;
  createdAt: number;
}

/**
 * Where qos 1 frames wait until the relay has stored them, so that a drop or
 * a restart does not lose them. The hub keeps them in SQLite, the phone in
 * IndexedDB or memory. `put` of an id already there keeps the first copy.
 */
export interface OutboxStore {
  put(frame: OutboxFrame): Promise<void>;
  remove(id: string): Promise<unknown>;
  /** Oldest first. */
  list(): Promise<OutboxFrame[]>;
}

/** An outbox that lives as long as the process: right for tests and short-lived clients. */
export class MemoryOutbox implements OutboxStore {
  private readonly frames = new Map<string, OutboxFrame>();

  async put(frame: OutboxFrame): Promise<void> {
    if (!this.frames.has(frame.id)) this.frames.set(frame.id, frame);
  }

  async remove(id: string): Promise<boolean> {
    return this.frames.delete(id);
  }

  async list(): Promise<OutboxFrame[]> {
    return [...this.frames.values()];
  }
}
