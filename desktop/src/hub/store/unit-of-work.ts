import { AsyncLocalStorage } from "node:async_hooks";
import type { Kysely, Transaction } from "kysely";
import type { Logger } from "pino";
import type { Database } from "./schema";

interface Unit {
  trx: Transaction<Database>;
  /** `trx` as repositories see it: its `transaction()` joins the unit (Kysely refuses nested transactions). */
  joined: Kysely<Database>;
  /** False once the work returned: later queries of its async context go to the database again. */
  open: boolean;
  /** Writes started inside the unit but not awaited by its work: awaited before the commit. */
  pending: Promise<unknown>[];
  afterCommit: (() => void)[];
}

/**
 * Several store writes that commit together, without passing a transaction
 * handle around: inside `run`, every repository of the store (they all read
 * `ctx.db`, which asks `db()`) writes through the unit's transaction, because
 * the async context carries it. This is how the id of a received frame, the
 * effect of handling it and the answer's outbox entry become one commit
 * (docs/hub.md, "What survives what").
 *
 * Keep units short and store-only: while one is open, every other query of
 * the hub waits for it (SQLite has one writer, Kysely one connection), so a
 * unit must never wait on something that itself needs the store from outside.
 *
 * @example await store.unit.run(async () => { await store.seenFrames.markSeen(...); await store.messages.append(...); })
 */
export class UnitOfWork {
  private readonly als = new AsyncLocalStorage<Unit>();

  constructor(
    private readonly root: Kysely<Database>,
    private readonly log: Logger,
  ) {}

  /** The handle for the current async context: the open unit's transaction, else the database. */
  db(): Kysely<Database> {
    const unit = this.als.getStore();
    return unit?.open ? unit.joined : this.root;
  }

  /** Whether the caller runs inside an open unit. */
  inUnit(): boolean {
    return this.als.getStore()?.open === true;
  }

  /**
   * Runs `work` in one transaction and resolves after the commit; a throw rolls everything back. Nested calls join the
   * outer unit.
   */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.inUnit()) return work();
    const afterCommit: (() => void)[] = [];
    const value = await this.root.transaction().execute(async (trx) => {
      const unit: Unit = { trx, joined: joinable(trx), open: true, pending: [], afterCommit };
      try {
        const out = await this.als.run(unit, work);
        // Writes the work started without awaiting (e.g. a push queued by a service) belong to the unit too.
        while (unit.pending.length > 0) await Promise.all(unit.pending.splice(0));
        return out;
      } finally {
        unit.open = false;
      }
    });
    for (const fn of afterCommit) {
      try {
        fn();
      } catch (err) {
        this.log.error({ err: String(err) }, "after-commit step failed");
      }
    }
    return value;
  }

  /** Runs `fn` once the current unit has committed (never if it rolls back); at once outside a unit. */
  afterCommit(fn: () => void): void {
    const unit = this.als.getStore();
    if (unit?.open) unit.afterCommit.push(fn);
    else fn();
  }

  /** Makes the current unit wait for `write` before it commits; outside a unit it does nothing. */
  track(write: Promise<unknown>): void {
    const unit = this.als.getStore();
    if (unit?.open) unit.pending.push(write);
  }
}

/**
 * The unit's transaction, with `transaction().execute(fn)` running `fn` on it
 * directly: a repository that groups its own statements in a transaction
 * (messages, tasks) keeps working inside a unit, as part of it.
 */
function joinable(trx: Transaction<Database>): Kysely<Database> {
  const inline = { execute: <T>(fn: (t: Transaction<Database>) => Promise<T>) => fn(trx) };
  return new Proxy(trx, {
    get(target, prop) {
      if (prop === "transaction") return () => inline;
      // Kysely keeps its state in private fields: methods and getters must see the real object.
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
