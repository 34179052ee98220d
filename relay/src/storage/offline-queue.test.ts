import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpError } from "../errors";
import { dropSchema, randomSchema, silentLogger, TEST_DATABASE_URL } from "../../test/test-databases";
import { type DatabaseSpec, openDatabase, type OpenDatabase } from "./database";
import { GrantIndex } from "./grant-index";
import { tableNames } from "./migrations";
import { OfflineQueue, type QueueLimits } from "./offline-queue";
import type { NewFrame } from "./queue-store";

const LIMITS: QueueLimits = { queueMaxFrames: 50, queueMaxBytes: 10_000, writeBatchMax: 500, deliveryPageSize: 7 };

interface Backend {
  name: string;
  open(): Promise<OpenDatabase>;
  cleanup(): Promise<void>;
}

// Both backends run the same tests: PGlite in a data directory, and the real Postgres server in a fresh schema.
function pgliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), "nlink-relay-pglite-"));
  const spec: DatabaseSpec = { kind: "directory", path: dir };
  return {
    name: "pglite",
    open: () => openDatabase(spec, { log: silentLogger }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresBackend(): Backend {
  const schema = randomSchema();
  const spec: DatabaseSpec = { kind: "postgres", url: TEST_DATABASE_URL };
  return {
    name: "postgres",
    open: () => openDatabase(spec, { log: silentLogger, schema }),
    cleanup: () => dropSchema(schema),
  };
}

let n = 0;
function frame(recipient: string, sender: string, extra: Partial<NewFrame> = {}): NewFrame {
  n += 1;
  const id = `id${String(n).padStart(20, "0")}`;
  return { recipient, sender, id, body: "AAAA", size: 3, ts: Date.now(), expiresAt: Date.now() + 60_000, ...extra };
}

async function collect(queue: OfflineQueue, recipient: string) {
  const out = [];
  for await (const page of queue.pending(recipient, Date.now)) out.push(...page);
  return out;
}

describe.each([pgliteBackend, postgresBackend])("offline queue on %o", (make) => {
  const backend = make();
  let db: OpenDatabase;
  let queue: OfflineQueue;

  beforeAll(async () => {
    db = await backend.open();
    queue = await OfflineQueue.open(db.db, LIMITS, silentLogger);
  });
  afterAll(async () => {
    await db.close();
    await backend.cleanup();
  });

  it(`${backend.name}: migrations create the tables`, async () => {
    const names = await tableNames(db.db as never);
    expect(names).toEqual(expect.arrayContaining(["frames", "grants", "kysely_migration"]));
  });

  it(`${backend.name}: returns stored frames in accept order, page by page`, async () => {
    const stored = [];
    for (let i = 0; i < 20; i++) stored.push(frame("r-order", i % 2 ? "s1" : "s2"));
    await Promise.all(stored.map((f) => queue.store(f)));
    expect((await collect(queue, "r-order")).map((f) => f.id)).toEqual(stored.map((f) => f.id));
  });

  it(`${backend.name}: groups concurrent writes into few transactions`, async () => {
    const before = queue.batcher.stats.transactions;
    await Promise.all(Array.from({ length: 40 }, () => queue.store(frame("r-group", "s"))));
    expect(queue.batcher.stats.transactions - before).toBeLessThan(10);
  });

  it(`${backend.name}: stores a retried frame once`, async () => {
    const f = frame("r-dup", "s");
    await queue.store(f);
    await queue.store({ ...f });
    expect(await collect(queue, "r-dup")).toHaveLength(1);
  });

  it(`${backend.name}: refuses with queue_full at the frame limit and keeps what is stored`, async () => {
    const fs = Array.from({ length: LIMITS.queueMaxFrames }, () => frame("r-full", "s"));
    for (const f of fs) await queue.store(f);
    await expect(queue.store(frame("r-full", "s"))).rejects.toEqual(
      new OpError("queue_full", "the recipient's queue is full"),
    );
    await queue.store(fs[3]!); // a retry of a stored frame is still fine
    expect(await collect(queue, "r-full")).toHaveLength(LIMITS.queueMaxFrames);
    await queue.ack("r-full", [fs[0]!.id]);
    await queue.store(frame("r-full", "s"));
  });

  it(`${backend.name}: refuses with queue_full at the byte limit`, async () => {
    await queue.store(frame("r-bytes", "s", { size: 9000 }));
    await expect(queue.store(frame("r-bytes", "s", { size: 1001 }))).rejects.toMatchObject({ code: "queue_full" });
  });

  it(`${backend.name}: ACK deletes only the recipient's own frames; unknown ids are harmless`, async () => {
    const f = frame("r-ack", "s");
    await queue.store(f);
    await queue.ack("someone-else", [f.id]);
    await queue.ack("r-ack", ["unknown-id"]);
    expect(await collect(queue, "r-ack")).toHaveLength(1);
    await queue.ack("r-ack", [f.id]);
    expect(await collect(queue, "r-ack")).toHaveLength(0);
  });

  it(`${backend.name}: drops a sender's frames on revoke`, async () => {
    await queue.store(frame("r-rev", "bad"));
    await queue.store(frame("r-rev", "good"));
    await queue.dropFromSender("r-rev", "bad");
    expect((await collect(queue, "r-rev")).map((f) => f.sender)).toEqual(["good"]);
  });

  it(`${backend.name}: the sweep removes expired frames and frees their room`, async () => {
    const before = queue.storedFrames;
    await queue.store(frame("r-exp", "s", { expiresAt: Date.now() - 1 }));
    expect(await collect(queue, "r-exp")).toHaveLength(0); // never delivered once expired
    expect(await queue.sweep(Date.now())).toBeGreaterThanOrEqual(1);
    expect(queue.storedFrames).toBe(before);
  });

  it(`${backend.name}: keeps frames and grants across a restart, with the limit counters`, async () => {
    const f = frame("r-restart", "s", { size: 123 });
    await queue.store(f);
    const grants = await GrantIndex.open(db.db, (run) => queue.batcher.task(run));
    await grants.grant("r-restart", "s", Date.now());
    const counted = queue.storedFrames;
    await db.close();
    db = await backend.open();
    queue = await OfflineQueue.open(db.db, LIMITS, silentLogger);
    expect(queue.storedFrames).toBe(counted);
    expect((await collect(queue, "r-restart")).map((x) => x.id)).toEqual([f.id]);
    const reopened = await GrantIndex.open(db.db, (run) => queue.batcher.task(run));
    expect(reopened.has("r-restart", "s")).toBe(true);
    expect(reopened.has("s", "r-restart")).toBe(false);
  });
});
