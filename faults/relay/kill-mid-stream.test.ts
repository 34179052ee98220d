/**
 * Relay SIGKILL in the middle of a qos 1 stream, then a restart on the same
 * Postgres (docs/relay.md, "What survives what"). A frame answered `stored`
 * is durable: the recipient gets every one, online or offline at the time,
 * deduplicates the redeliveries by id, and sees each sender's frames in order.
 */
import { afterAll, describe, expect, it } from "vitest";
import { collectFrames, FrameLedger, mutualPair, online, until } from "../support/devices";
import { FrameStream } from "../support/frame-stream";
import { startRelayProcess, type RelayProcess } from "../support/relay-process";

/** Frames per run and their pace: under the default 200 ops/s so nothing is rate limited. */
const FRAMES = 600;
const RATE = 180;
/** The kill comes once this many frames were answered `stored`. */
const KILL_AFTER_STORED = 250;

const relays: RelayProcess[] = [];
afterAll(async () => {
  for (const r of relays) await r.dispose();
});

async function stream(recipientOnline: boolean) {
  const relay = await startRelayProcess(recipientOnline ? "kill-online" : "kill-offline");
  relays.push(relay);
  const [a, b] = await mutualPair(relay.url);
  const ledger = new FrameLedger();
  if (recipientOnline) collectFrames(b, ledger);
  else {
    b.close();
    await b.closed;
  }
  const sender = new FrameStream(a, b.device);
  // The sender keeps going: frames are in flight (written, unanswered) when the relay dies.
  const running = sender.run(FRAMES, RATE);
  await until(() => sender.answered("stored").length >= KILL_AFTER_STORED, "stored answers before the kill", 30_000, 1);
  const exit = await relay.kill();
  await running;
  expect(exit.signal).toBe("SIGKILL");
  const storedBeforeKill = sender.answered("stored").map((f) => f.id);
  const sentBeforeKill = sender.frames.length;

  await relay.restart();
  const b2 = await online(relay.url, b.identity);
  collectFrames(b2, ledger);
  await until(
    () => storedBeforeKill.every((id) => ledger.firstSeen.has(id)),
    "every stored frame delivered after the restart",
  );

  // The sender's outbox sends again what it was never told was stored, then the rest.
  const a2 = await online(relay.url, a.identity);
  sender.use(a2);
  await sender.retryUnstored(RATE);
  await sender.run(FRAMES - sender.frames.length, RATE);
  await until(() => sender.unanswered === 0, "answers to every frame");
  await until(() => ledger.unique === FRAMES, "every frame delivered");
  console.log(
    `[faults] relay SIGKILL, recipient ${recipientOnline ? "online" : "offline"}: ${sentBeforeKill} sent and ${storedBeforeKill.length} stored before the kill; ` +
      `${ledger.unique} unique delivered, ${ledger.duplicates} duplicates deduplicated, ${ledger.orderViolations} out of order`,
  );
  expect(sender.answered("stored")).toHaveLength(FRAMES);
  expect(ledger.orderViolations).toBe(0);
  if (!recipientOnline) expect(ledger.duplicates).toBe(0);
  a2.close();
  b2.close();
}

describe("relay SIGKILL mid-stream, restart on the same Postgres", () => {
  it("delivers every stored frame to a recipient that was online, in order, duplicates only", () => stream(true));
  it("delivers every stored frame to a recipient that was offline, in order, once", () => stream(false));
});
