/**
 * Store benchmark: message inserts and the two hot reads (latest page, full-text
 * search) through the store's Kysely path, beside raw better-sqlite3 prepared
 * statements doing the same work on the same schema (the baseline, measured in
 * the same run). Both databases grow side by side, batch by batch, so machine
 * noise hits both paths alike.
 *
 *   npm run bench:store                 # 1,000,000 messages
 *   npm run bench:store -- --rows 100000
 */
import { statSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import {
  buildFtsQuery,
  createIdGenerator,
  MESSAGE_ROWS_PER_INSERT as ROWS_PER_INSERT,
  openStore,
  type NewMessage,
} from "../desktop/src/hub/store";
import { silentLog, tempDir } from "../desktop/src/hub/store/test-support";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    batch: { type: "string", default: "1000" },
    queries: { type: "string", default: "500" },
  },
});
const ROWS = Number(args.rows);
const BATCH = Number(args.batch);
const QUERIES = Number(args.queries);
const PAGE = 50;
const HITS = 20;
/** One message in this many carries the rare word. */
const RARE_EVERY = 20_000;

// Deterministic text: a Zipf-like vocabulary, so word 0 is in most messages.
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(42);
const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const COMMON_WORD = "status";
const RARE_WORD = "quokka";
const SHORT_PREFIX = "st";
/** Words of 3 to 9 letters; rank 0 (the most frequent) is COMMON_WORD. */
const VOCAB = [COMMON_WORD];
while (VOCAB.length < 5000) {
  const w = Array.from({ length: 3 + Math.floor(rand() * 7) }, () => LETTERS[Math.floor(rand() * 26)]).join("");
  if (!w.startsWith("quo")) VOCAB.push(w);
}
const cdf: number[] = [];
{
  let sum = 0;
  for (let i = 0; i < VOCAB.length; i++) cdf.push((sum += 1 / (i + 1)));
  for (let i = 0; i < cdf.length; i++) cdf[i]! /= sum;
}
function word(): string {
  const r = rand();
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid]! < r) lo = mid + 1;
    else hi = mid;
  }
  return VOCAB[lo]!;
}
let made = 0;
function makeBatch(n: number): NewMessage[] {
  return Array.from({ length: n }, () => {
    made += 1;
    const words = Array.from({ length: 6 + Math.floor(rand() * 10) }, word);
    if (made % RARE_EVERY === 0) words.push(RARE_WORD);
    return {
      conversation: made % 10 === 0 ? "ops" : "default",
      sender: "bench-device",
      ts: 1_700_000_000_000 + made,
      text: words.join(" "),
    };
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
/**
 * Times two query paths alternately, so both see the same machine noise
 * (other processes, GC). Returns p50/p99 in ms for each.
 */
async function timePair(
  a: () => unknown,
  b: () => unknown,
): Promise<[{ p50: number; p99: number }, { p50: number; p99: number }]> {
  for (let i = 0; i < 20; i++) {
    await a(); // warm caches and statement paths
    await b();
  }
  const sa: number[] = [];
  const sb: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    let t0 = performance.now();
    await a();
    sa.push(performance.now() - t0);
    t0 = performance.now();
    await b();
    sb.push(performance.now() - t0);
  }
  const stats = (s: number[]) => {
    s.sort((x, y) => x - y);
    return { p50: percentile(s, 50), p99: percentile(s, 99) };
  };
  return [stats(sa), stats(sb)];
}

/** A baseline writer: better-sqlite3 prepared statements in one transaction per batch. */
function rawPath(file: string, makeInsert: (db: BetterSqlite3.Database) => (rows: unknown[][]) => void) {
  const db = new BetterSqlite3(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  const newId = createIdGenerator();
  const insConv = db.prepare("INSERT INTO conversations (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING");
  const insertRows = makeInsert(db);
  const insert = db.transaction((batch: NewMessage[]) => {
    const now = Date.now();
    for (const c of new Set(batch.map((m) => m.conversation ?? "default"))) insConv.run(c, now);
    insertRows(batch.map((m) => [newId(), m.conversation ?? "default", m.sender, m.ts ?? now, m.text]));
  });
  return { insert: (batch: NewMessage[]) => insert(batch), close: () => db.close() };
}

async function main(): Promise<void> {
  const tmp = tempDir("nlink-bench-store-");
  try {
    const fileK = join(tmp.dir, "kysely.db");
    const fileR1 = join(tmp.dir, "raw-single-row.db");
    const fileRN = join(tmp.dir, "raw-multi-row.db");
    // Same schema and pragmas for the baselines.
    await (await openStore({ file: fileR1, log: silentLog })).close();
    await (await openStore({ file: fileRN, log: silentLog })).close();
    const store = await openStore({ file: fileK, log: silentLog });
    const raw1 = rawPath(fileR1, (db) => {
      const ins = db.prepare("INSERT INTO messages (id, conversation, sender, ts, text) VALUES (?, ?, ?, ?, ?)");
      return (rows) => {
        for (const r of rows) ins.run(r);
      };
    });
    const rawN = rawPath(fileRN, (db) => {
      // The statement Kysely builds: ROWS_PER_INSERT rows per INSERT, prepared once here.
      const full = db.prepare(
        `INSERT INTO messages (id, conversation, sender, ts, text) VALUES ${Array(ROWS_PER_INSERT).fill("(?, ?, ?, ?, ?)").join(", ")}`,
      );
      return (rows) => {
        for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
          const part = rows.slice(i, i + ROWS_PER_INSERT);
          if (part.length === ROWS_PER_INSERT) full.run(part.flat());
          else
            db.prepare(
              `INSERT INTO messages (id, conversation, sender, ts, text) VALUES ${part.map(() => "(?, ?, ?, ?, ?)").join(", ")}`,
            ).run(part.flat());
        }
      };
    });

    const ms = { kysely: 0, raw1: 0, rawN: 0 };
    for (let done = 0, round = 0; done < ROWS; done += BATCH, round++) {
      const batch = makeBatch(Math.min(BATCH, ROWS - done));
      // Rotate the order every batch so no path always runs on a warmer cache.
      const steps: [keyof typeof ms, () => unknown][] = [
        ["kysely", () => store.messages.appendMany(batch)],
        ["raw1", () => raw1.insert(batch)],
        ["rawN", () => rawN.insert(batch)],
      ];
      for (let i = 0; i < steps.length; i++) {
        const [name, run] = steps[(i + round) % steps.length]!;
        const t0 = performance.now();
        await run();
        ms[name] += performance.now() - t0;
      }
      if (round % 100 === 0) process.stderr.write(`\rinserted ${done + batch.length} / ${ROWS}`);
    }
    process.stderr.write("\n");
    raw1.close();
    rawN.close();

    // Reads: both paths query the same (Kysely-built) file.
    const reader = new BetterSqlite3(fileK, { readonly: true });
    const page = reader.prepare(
      "SELECT id, conversation, sender, ts, text FROM messages WHERE conversation = ? ORDER BY seq DESC LIMIT ?",
    );
    const search = reader.prepare(
      "SELECT m.id, m.conversation, m.sender, m.ts, m.text FROM messages_fts f JOIN messages m ON m.seq = f.rowid WHERE messages_fts MATCH ? ORDER BY f.rowid DESC LIMIT ?",
    );
    const common = buildFtsQuery(COMMON_WORD)!;
    const rare = buildFtsQuery(RARE_WORD)!;
    const short = buildFtsQuery(SHORT_PREFIX)!;
    const rareHits = (await store.messages.search(RARE_WORD, 1000)).length;
    const commonHits = (
      reader.prepare("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH ?").get(common) as { n: number }
    ).n;

    const rate = (t: number) => (ROWS / t) * 1000;
    const rows: [string, number, number, "rate" | "time"][] = [
      ["insert/s vs raw multi-row INSERT", rate(ms.kysely), rate(ms.rawN), "rate"],
      ["insert/s vs raw single-row INSERT", rate(ms.kysely), rate(ms.raw1), "rate"],
    ];
    const addQuery = async (name: string, k: () => unknown, r: () => unknown) => {
      const [kt, rt] = await timePair(k, r);
      rows.push([`${name} p50, ms`, kt.p50, rt.p50, "time"], [`${name} p99, ms`, kt.p99, rt.p99, "time"]);
      return kt;
    };
    const cursorId = (await store.messages.list({ limit: PAGE })).at(-1)!.id;
    const pageBefore = reader.prepare(
      "SELECT id, conversation, sender, ts, text FROM messages WHERE conversation = ? AND seq < (SELECT seq FROM messages WHERE id = ?) ORDER BY seq DESC LIMIT ?",
    );
    const pageK = await addQuery(
      `latest page (${PAGE})`,
      () => store.messages.list({ limit: PAGE }),
      () => page.all("default", PAGE),
    );
    await addQuery(
      `next page (${PAGE}, cursor)`,
      () => store.messages.list({ limit: PAGE, before: cursorId }),
      () => pageBefore.all("default", cursorId, PAGE),
    );
    const commonK = await addQuery(
      `search common word (${HITS})`,
      () => store.messages.search(COMMON_WORD, HITS),
      () => search.all(common, HITS),
    );
    const rareK = await addQuery(
      `search rare word (${HITS})`,
      () => store.messages.search(RARE_WORD, HITS),
      () => search.all(rare, HITS),
    );
    const shortK = await addQuery(
      `search prefix "${SHORT_PREFIX}" (${HITS})`,
      () => store.messages.search(SHORT_PREFIX, HITS),
      () => search.all(short, HITS),
    );
    reader.close();
    await store.close();

    const sizeMb = statSync(fileK).size / 2 ** 20;
    console.log(
      `\nstore benchmark: ${ROWS.toLocaleString("en")} messages, ${BATCH} per transaction, ${QUERIES} queries each; db ${sizeMb.toFixed(0)} MiB`,
    );
    // p99 on a shared machine mostly measures the scheduler: print the load beside it.
    console.log(`1-minute load average at the end: ${loadavg()[0]!.toFixed(1)}`);
    console.log(
      `common word "${COMMON_WORD}" in ${commonHits.toLocaleString("en")} messages; rare word "${RARE_WORD}" in ${rareHits}\n`,
    );
    const fmt = (v: number, kind: "rate" | "time") =>
      kind === "rate" ? Math.round(v).toLocaleString("en") : v.toFixed(3);
    console.log(["metric".padEnd(34), "kysely".padStart(12), "raw".padStart(12), "kysely/raw".padStart(11)].join(" "));
    for (const [name, k, r, kind] of rows) {
      console.log(
        [name.padEnd(34), fmt(k, kind).padStart(12), fmt(r, kind).padStart(12), (k / r).toFixed(2).padStart(11)].join(
          " ",
        ),
      );
    }
    const insertRatio = ms.rawN / ms.kysely;
    console.log("\ntargets (kysely path):");
    console.log(`  insert >= 0.8x raw: ${insertRatio.toFixed(2)}x ${insertRatio >= 0.8 ? "ok" : "MISSED"}`);
    console.log(`  page p99 < 2 ms: ${pageK.p99.toFixed(3)} ${pageK.p99 < 2 ? "ok" : "MISSED"}`);
    const worst = Math.max(commonK.p99, rareK.p99, shortK.p99);
    console.log(`  search p99 < 50 ms: ${worst.toFixed(3)} ${worst < 50 ? "ok" : "MISSED"}`);
  } finally {
    tmp.cleanup();
  }
}

await main();
