/**
 * The offline queue: durable qos 1 frames with per-recipient limits. Limits
 * are checked against in-memory counters seeded from the database at start,
 * so a SEND never waits on a COUNT query. One relay process owns a database.
 */
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { OpError } from "../errors";
import {
  deleteByIds,
  deleteExpired,
  deleteFromSender,
  isStored,
  listPending,
  type NewFrame,
  type StoredFrame,
  usageByRecipient,
} from "./queue-store";
import type { RelayDatabase } from "./schema";
import { WriteBatcher } from "./write-batcher";

export interface QueueLimits {
  /** Most frames stored for one recipient. */
  queueMaxFrames: number;
  /** Most decoded body bytes stored for one recipient. */
  queueMaxBytes: number;
  /** Most writes committed in one transaction. */
  writeBatchMax: number;
  /** Rows read per page when delivering a backlog. */
  deliveryPageSize: number;
}

interface Usage {
  frames: number;
  bytes: number;
}

const SWEEP_CHUNK = 5000;

export class OfflineQueue {
  readonly batcher: WriteBatcher;
  private readonly log: Logger;
  private totalFrames = 0;
  private totalBytes = 0;

  private constructor(
    private readonly db: Kysely<RelayDatabase>,
    private readonly limits: QueueLimits,
    private readonly usage: Map<string, Usage>,
    log: Logger,
  ) {
    this.log = log.child({ mod: "relay/queue" });
    this.batcher = new WriteBatcher(db, limits.writeBatchMax, log);
    for (const u of usage.values()) {
      this.totalFrames += u.frames;
      this.totalBytes += u.bytes;
    }
  }

  static async open(db: Kysely<RelayDatabase>, limits: QueueLimits, log: Logger): Promise<OfflineQueue> {
    return new OfflineQueue(db, limits, await usageByRecipient(db), log);
  }

  get storedFrames(): number {
    return this.totalFrames;
  }

  get storedBytes(): number {
    return this.totalBytes;
  }

  private usageOf(recipient: string): Usage {
    let u = this.usage.get(recipient);
    if (u === undefined) {
      u = { frames: 0, bytes: 0 };
      this.usage.set(recipient, u);
    }
    return u;
  }

  private adjust(recipient: string, frames: number, bytes: number): void {
    const u = this.usageOf(recipient);
    u.frames += frames;
    u.bytes += bytes;
    this.totalFrames += frames;
    this.totalBytes += bytes;
    if (u.frames <= 0) this.usage.delete(recipient);
  }

  /**
   * Stores a frame durably. Resolves after commit. A retry of a frame still
   * stored resolves too, without storing it twice. Throws OpError
   * `queue_full` past the recipient's limits (nothing stored is dropped) and
   * `internal` if the database fails. `accepted` runs synchronously once the
   * frame is within limits, before the commit: live delivery happens there so
   * that it keeps the accept order shared with qos 0 frames.
   */
  async store(frame: NewFrame, accepted: () => void = () => undefined): Promise<void> {
    const u = this.usageOf(frame.recipient);
    if (u.frames + 1 > this.limits.queueMaxFrames || u.bytes + frame.size > this.limits.queueMaxBytes) {
      const again = await this.batcher.task((tx) => isStored(tx, frame.recipient, frame.sender, frame.id));
      if (again) return;
      throw new OpError("queue_full", "the recipient's queue is full");
    }
    this.adjust(frame.recipient, 1, frame.size);
    const pending = this.batcher.insert(frame);
    try {
      accepted();
    } catch (err) {
      // Live delivery is best effort; the frame is stored and will be redelivered.
      this.log.warn({ err: err instanceof Error ? err.message : String(err) }, "live delivery failed");
    }
    let inserted: boolean;
    try {
      inserted = await pending;
    } catch (err) {
      this.adjust(frame.recipient, -1, -frame.size);
      this.log.error({ err: err instanceof Error ? err.message : String(err) }, "store failed");
      throw new OpError("internal", "the frame could not be stored");
    }
    if (!inserted) this.adjust(frame.recipient, -1, -frame.size);
  }

  /** Deletes ACKed frames of a recipient. Unknown ids are ignored. */
  async ack(recipient: string, ids: readonly string[]): Promise<void> {
    const sizes = await this.batcher.task((tx) => deleteByIds(tx, recipient, ids));
    for (const size of sizes) this.adjust(recipient, -1, -size);
  }

  /** Deletes every frame from `sender` stored for `recipient`. */
  async dropFromSender(recipient: string, sender: string): Promise<void> {
    const sizes = await this.batcher.task((tx) => deleteFromSender(tx, recipient, sender));
    for (const size of sizes) this.adjust(recipient, -1, -size);
  }

  /** Removes expired frames; returns how many. */
  async sweep(now: number): Promise<number> {
    let removed = 0;
    for (;;) {
      const rows = await this.batcher.task((tx) => deleteExpired(tx, now, SWEEP_CHUNK));
      for (const row of rows) this.adjust(row.recipient, -1, -row.size);
      removed += rows.length;
      if (rows.length < SWEEP_CHUNK) break;
    }
    if (removed > 0) this.log.info({ removed }, "expired frames removed");
    return removed;
  }

  /**
   * A recipient's stored frames, oldest first, page by page. Waits for writes
   * queued before it, so a frame answered `stored` is always included.
   */
  async *pending(recipient: string, now: () => number): AsyncGenerator<StoredFrame[]> {
    await this.batcher.barrier();
    let after = 0;
    for (;;) {
      const page = await listPending(this.db, recipient, after, this.limits.deliveryPageSize, now());
      if (page.length > 0) yield page;
      if (page.length < this.limits.deliveryPageSize) return;
      after = page[page.length - 1]!.seq;
    }
  }

  /**
   * Re-reads the per-recipient counters from the database. In a cluster the
   * other nodes store and delete frames too, so each node refreshes its
   * counters periodically (cluster-settings.ts, queueResyncMs); between two
   * refreshes a recipient's queue may pass its limit by what other nodes
   * stored meanwhile (docs/relay.md, "Running a cluster").
   */
  async resync(): Promise<void> {
    await this.batcher.barrier();
    const fresh = await usageByRecipient(this.db);
    this.usage.clear();
    this.totalFrames = 0;
    this.totalBytes = 0;
    for (const [recipient, u] of fresh) {
      this.usage.set(recipient, u);
      this.totalFrames += u.frames;
      this.totalBytes += u.bytes;
    }
  }

  /** Waits for queued writes; used when shutting down. */
  flush(): Promise<void> {
    return this.batcher.barrier();
  }
}
