/**
 * Postgres going away under a steady qos 1 load (issue 16's finding: a `pg`
 * client `error` event, 57P01, crashed the relay in 9 of 17 runs). The relay
 * must stay up, answer `internal` (never `stored`) while the database is
 * away, keep qos 0 flowing, reconnect by itself, and lose nothing it
 * answered `stored`: the recipient is offline throughout, so every stored
 * frame can only come from the database, after a SIGKILL and restart.
 *
 * Faults, in one relay's life: its server processes terminated (57P01, as a
 * restart does, only ours), the TCP path to Postgres reset and refused, and
 * (separate test) one real `pg_ctlcluster restart`, kept short: other suites
 * share the server, and the fault suite runs after them, one file at a time.
 */
import { afterAll, describe, expect, it } from "vitest";
import { collectFrames, FrameLedger, mutualPair, online, until } from "../support/devices";
import { FrameStream } from "../support/frame-stream";
import { restartPostgres, terminateBackends, TEST_DATABASE_URL } from "../support/postgres";
import { startRelayProcess, type RelayProcess } from "../support/relay-process";
import { TcpProxy } from "../support/tcp-proxy";

const QOS1_RATE = 180;
const QOS0_RATE = 25;
/** How long the database stays unreachable in the proxy cut. */
const CUT_MS = 1500;

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

function proxiedUrl(port: number): string {
  const u = new URL(TEST_DATABASE_URL);
  u.host = `127.0.0.1:${port}`;
  return u.toString();
}

/** Load: qos 1 from a to an offline b; qos 0 between c and d (online). */
async function underLoad(name: string, dbUrl: string) {
  const relay = await startRelayProcess(name, { db: dbUrl, flags: { "db-connect-timeout-ms": 2000 } });
  cleanups.push(() => relay.dispose());
  const [a, b] = await mutualPair(relay.url);
  b.close();
  await b.closed;
  const [c, d] = await mutualPair(relay.url);
  const live = new FrameLedger();
  collectFrames(d, live);
  const qos1 = new FrameStream(a, b.device, 1);
  const qos0 = new FrameStream(c, d.device, 0);
  let stop = false;
  const running = Promise.all([qos1.run(100_000, QOS1_RATE, () => stop), qos0.run(100_000, QOS0_RATE, () => stop)]);
  return {
    relay,
    qos1,
    qos0,
    b,
    async finish() {
      stop = true;
      await running;
      await until(() => qos1.unanswered === 0 && qos0.unanswered === 0, "answers to every SEND", 30_000);
    },
  };
}

/** After the load: SIGKILL, restart, and the offline recipient must get every frame answered `stored`. */
async function storedSurvive(relay: RelayProcess, qos1: FrameStream, recipient: Parameters<typeof online>[1]) {
  await relay.kill();
  await relay.restart();
  const ledger = new FrameLedger();
  const b = await online(relay.url, recipient);
  collectFrames(b, ledger);
  const stored = qos1.answered("stored");
  await until(
    () => stored.every((f) => ledger.firstSeen.has(f.id)),
    "every stored frame delivered from the database",
    60_000,
  );
  expect(ledger.orderViolations).toBe(0);
  b.close();
  return ledger;
}

describe("Postgres going away under load", () => {
  it("rides out terminated server connections (57P01) and a reset TCP path, answering honestly", async () => {
    const proxy = await TcpProxy.start(Number(new URL(TEST_DATABASE_URL).port || 5432));
    cleanups.push(() => proxy.close());
    const load = await underLoad("pg-terminate", proxiedUrl(proxy.port));
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await wait(1000);
    let terminated = 0;
    for (let round = 0; round < 6; round++) {
      terminated += await terminateBackends(proxy.upstreamPorts());
      await wait(400);
      expect(load.relay.child.running, `relay exited after 57P01; log: ${load.relay.child.logPath}`).toBe(true);
    }
    const qos0Before = load.qos0.frames.length;
    const qos1Before = load.qos1.frames.length;
    proxy.cut();
    await wait(CUT_MS);
    const qos0During = load.qos0.frames.slice(qos0Before);
    const qos1During = load.qos1.frames.slice(qos1Before);
    proxy.restore();
    await wait(1500);
    const qos1After = load.qos1.frames.length;
    await wait(1000);
    await load.finish();
    expect(load.relay.child.running, `relay exited; log: ${load.relay.child.logPath}`).toBe(true);

    const answers = (frames: { answer?: string }[]) =>
      frames.reduce<Record<string, number>>(
        (m, f) => ({ ...m, [f.answer ?? "none"]: (m[f.answer ?? "none"] ?? 0) + 1 }),
        {},
      );
    console.log(
      `[faults] postgres: ${terminated} backends terminated (57P01) over 6 rounds; during a ${CUT_MS} ms cut qos 1 answers ${JSON.stringify(answers(qos1During))}, qos 0 answers ${JSON.stringify(answers(qos0During))}; after: ${JSON.stringify(answers(load.qos1.frames.slice(qos1After)))}`,
    );
    expect(terminated).toBeGreaterThan(0);
    // While the database is away: honest errors for qos 1, qos 0 unaffected.
    expect(qos1During.filter((f) => f.answer === "internal").length).toBeGreaterThan(0);
    expect(qos0During.length).toBeGreaterThan(0);
    expect(qos0During.every((f) => f.answer === "sent")).toBe(true);
    // Recovered by itself: the frames sent after the cut are stored again.
    expect(load.qos1.frames.slice(qos1After).every((f) => f.answer === "stored")).toBe(true);
    const ledger = await storedSurvive(load.relay, load.qos1, load.b.identity);
    console.log(
      `[faults] postgres: ${load.qos1.answered("stored").length} answered stored, ${load.qos1.answered("internal").length} internal; recipient got ${ledger.unique} from the database`,
    );
  });

  it("rides out a real pg_ctlcluster restart", async () => {
    const load = await underLoad("pg-restart", TEST_DATABASE_URL);
    await new Promise((r) => setTimeout(r, 1000));
    const before = load.qos1.frames.length;
    await restartPostgres();
    await new Promise((r) => setTimeout(r, 2000));
    await load.finish();
    expect(load.relay.child.running, `relay exited after the restart; log: ${load.relay.child.logPath}`).toBe(true);
    const after = load.qos1.frames.slice(before);
    const tail = load.qos1.frames.slice(-20);
    console.log(
      `[faults] pg_ctlcluster restart: ${after.filter((f) => f.answer === "internal").length} internal, ${after.filter((f) => f.answer === "stored").length} stored after the restart began`,
    );
    expect(tail.every((f) => f.answer === "stored")).toBe(true);
    await storedSurvive(load.relay, load.qos1, load.b.identity);
  });
});
