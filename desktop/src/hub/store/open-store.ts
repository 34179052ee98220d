import { Kysely, SqliteDialect } from "kysely";
import { pino, type Logger } from "pino";
import { AuditRepo } from "./audit-repo";
import { openConnection } from "./connection";
import { DevicesRepo } from "./devices-repo";
import { createIdGenerator, type IdGenerator } from "./ids";
import { MessagesRepo } from "./messages-repo";
import { MIGRATIONS, type Migration } from "./migrations";
import { migrate } from "./migrator";
import { OutboxRepo } from "./outbox-repo";
import { RememberedApprovalsRepo } from "./remembered-approvals-repo";
import type { RepoContext } from "./repo-context";
import type { Database } from "./schema";
import { SeenFramesRepo } from "./seen-frames-repo";
import { SettingsRepo } from "./settings-repo";
import { STORE_DEFAULTS, type StoreOptions } from "./store-options";
import { TasksRepo } from "./tasks-repo";
import { UnitOfWork } from "./unit-of-work";

export interface OpenStoreArgs {
  /** Path of the SQLite file; created (with its directory) if missing. */
  file: string;
  options?: Partial<StoreOptions>;
  log?: Logger;
  /** Clock for timestamps the store fills in; injectable for tests. */
  now?: () => number;
  /** Migrations to run; defaults to all this build knows. Tests pass a prefix to build an older database. */
  migrations?: readonly Migration[];
}

export interface Store {
  readonly file: string;
  /**
   * The Kysely handle, for features that add their own tables (migrations 050+); inside a unit, the unit's transaction.
   */
  readonly db: Kysely<Database>;
  /** Writes that commit together (the handling of a received frame): see UnitOfWork. */
  readonly unit: UnitOfWork;
  readonly newId: IdGenerator;
  readonly devices: DevicesRepo;
  readonly messages: MessagesRepo;
  readonly tasks: TasksRepo;
  readonly rememberedApprovals: RememberedApprovalsRepo;
  readonly audit: AuditRepo;
  readonly outbox: OutboxRepo;
  readonly seenFrames: SeenFramesRepo;
  readonly settings: SettingsRepo;
  close(): Promise<void>;
}

/**
 * Opens (or creates) the hub's database, sets WAL mode, foreign keys and the busy
 * timeout, and applies pending migrations. Throws `StoreError` for a corrupt file,
 * a locked one, a database from a newer build, or a failed migration; the file is
 * left untouched in the first three cases.
 *
 * @example const store = await openStore({ file: join(dataDir, "hub.db") });
 */
export async function openStore(args: OpenStoreArgs): Promise<Store> {
  const options: StoreOptions = { ...STORE_DEFAULTS, ...args.options };
  const log = (args.log ?? pino()).child({ mod: "hub/store" });
  const now = args.now ?? Date.now;
  const sqlite = openConnection(args.file, options.busyTimeoutMs, log);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrate(db, args.migrations ?? MIGRATIONS, { now, log });
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const unit = new UnitOfWork(db, log);
  // Every repository reads `ctx.db` per query, so inside a unit it writes through the unit's transaction.
  const ctx: RepoContext = {
    get db() {
      return unit.db();
    },
    now,
    newId: createIdGenerator(now),
    options,
  };
  log.debug({ file: args.file }, "store open");
  let closed = false;
  return {
    file: args.file,
    get db() {
      return unit.db();
    },
    unit,
    newId: ctx.newId,
    devices: new DevicesRepo(ctx),
    messages: new MessagesRepo(ctx),
    tasks: new TasksRepo(ctx),
    rememberedApprovals: new RememberedApprovalsRepo(ctx),
    audit: new AuditRepo(ctx),
    outbox: new OutboxRepo(ctx),
    seenFrames: new SeenFramesRepo(ctx, sqlite),
    settings: new SettingsRepo(ctx, log),
    close: async () => {
      if (closed) return;
      closed = true;
      // Lets SQLite refresh its planner statistics for the tables this session used.
      sqlite.pragma("optimize");
      await db.destroy();
    },
  };
}
