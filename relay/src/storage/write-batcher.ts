/**
 * Group commit: every write to the offline queue goes through one ordered
 * line. Whatever queued up while the previous transaction ran is committed in
 * the next one, consecutive frame inserts as one multi-row INSERT. A SEND is
 * answered `stored` only after its transaction commits, and because the line
 * is ordered an ACK's DELETE can never overtake the INSERT of its frame.
 */
import type { Kysely, Transaction } from "kysely";
import type { Logger } from "pino";
import { StorageError } from "../errors";
import { frameKey, insertFrames, type NewFrame } from "./queue-store";
import type { RelayDatabase } from "./schema";

type Tx = Transaction<RelayDatabase>;

type WriteOp =
  | { kind: "insert"; frame: NewFrame; resolve: (inserted: boolean) => void; reject: (err: Error) => void }
  | {
      kind: "task";
      run: (tx: Tx) => Promise<unknown>;
      resolve: (value: unknown) => void;
      reject: (err: Error) => void;
    };

export interface WriteBatcherStats {
  transactions: number;
  ops: number;
}

export class WriteBatcher {
  private readonly queue: WriteOp[] = [];
  private running: Promise<void> | null = null;
  private readonly log: Logger;
  readonly stats: WriteBatcherStats = { transactions: 0, ops: 0 };

  constructor(
    private readonly db: Kysely<RelayDatabase>,
    private readonly maxBatch: number,
    log: Logger,
  ) {
    this.log = log.child({ mod: "relay/write-batcher" });
  }

  /** Stores a frame; resolves true if inserted, false if the same frame was already stored. */
  insert(frame: NewFrame): Promise<boolean> {
    return new Promise((resolve, reject) => this.push({ kind: "insert", frame, resolve, reject }));
  }

  /** Runs `run` inside the next transaction, after every write queued before it. */
  task<T>(run: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      this.push({ kind: "task", run, resolve: resolve as (v: unknown) => void, reject }),
    );
  }

  /** Resolves once every write queued so far has committed (or failed). */
  async barrier(): Promise<void> {
    // A failed batch was already reported to the writes in it; the barrier only waits for it.
    await this.task(async () => undefined).catch((err: unknown) =>
      this.log.debug({ err: String(err) }, "the batch before a barrier failed"),
    );
  }

  get pending(): number {
    return this.queue.length;
  }

  private push(op: WriteOp): void {
    this.queue.push(op);
    if (this.running === null) this.running = this.drain();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      await this.commit(batch);
    }
    this.running = null;
  }

  private async commit(batch: WriteOp[]): Promise<void> {
    const outcomes: Array<() => void> = [];
    try {
      await this.db.transaction().execute(async (tx) => {
        let run: Array<WriteOp & { kind: "insert" }> = [];
        const flush = async () => {
          if (run.length === 0) return;
          const group = run;
          run = [];
          const inserted = await insertFrames(
            tx,
            group.map((op) => op.frame),
          );
          for (const op of group) {
            const hit = inserted.has(frameKey(op.frame.recipient, op.frame.sender, op.frame.id));
            outcomes.push(() => op.resolve(hit));
          }
        };
        for (const op of batch) {
          if (op.kind === "insert") {
            run.push(op);
            continue;
          }
          await flush();
          const value = await op.run(tx);
          outcomes.push(() => op.resolve(value));
        }
        await flush();
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log.error({ err: message, ops: batch.length }, "write transaction failed");
      const failure = new StorageError(`write failed: ${message}`);
      for (const op of batch) op.reject(failure);
      return;
    }
    this.stats.transactions += 1;
    this.stats.ops += batch.length;
    // Resolve only after COMMIT: a caller told `stored` can rely on it.
    for (const outcome of outcomes) outcome();
  }
}
