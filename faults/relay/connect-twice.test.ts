/**
 * A device connecting twice (a phone that reconnects on another network
 * before the old socket died): the newer session wins, the older connection
 * is closed 4006 (docs/protocol.md section 4), and no qos 1 frame is lost on
 * the dead connection: what was in flight to it (delivered, never ACKed) is
 * delivered again on the new one. Both a fresh AUTH and a resume take over.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayClient } from "../../relay/test/gateway-client";
import { collectFrames, FrameLedger, mutualPair, online, sessionOf, until } from "../support/devices";
import { FrameStream } from "../support/frame-stream";
import { startRelayProcess, type RelayProcess } from "../support/relay-process";

const FRAMES = 400;
const RATE = 180;

let relay: RelayProcess;
beforeAll(async () => {
  relay = await startRelayProcess("connect-twice", { logLevel: "warn" });
});
afterAll(() => relay.dispose());

async function takeOver(mode: "fresh" | "resume") {
  const [a, old] = await mutualPair(relay.url);
  // The old connection reads frames but never ACKs them: everything it got is "in flight".
  const oldLedger = new FrameLedger();
  collectFrames(old, oldLedger, { ack: false });
  const sender = new FrameStream(a, old.device);
  const running = sender.run(FRAMES, RATE);
  await until(() => oldLedger.unique >= FRAMES / 4, "frames on the old connection");
  let replacement: GatewayClient;
  if (mode === "fresh") replacement = await online(relay.url, old.identity);
  else {
    replacement = await GatewayClient.connect(relay.url, old.identity);
    const answer = await replacement.auth({ resume: { session: sessionOf(old), seq: old.lastS } });
    expect(answer.t).toBe("RESUMED");
  }
  const newLedger = new FrameLedger();
  collectFrames(replacement, newLedger);
  const { code } = await old.closed;
  const oldCount = oldLedger.unique;
  await running;
  await until(() => sender.unanswered === 0, "answers to every frame");
  const stored = sender.answered("stored");
  await until(
    () => stored.every((f) => newLedger.firstSeen.has(f.id) || (mode === "resume" && oldLedger.firstSeen.has(f.id))),
    "every stored frame on the new connection",
  );
  console.log(
    `[faults] connected twice (${mode}): old closed ${code} after ${oldCount} frames; new got ${newLedger.unique} (${newLedger.duplicates} duplicates); ${stored.length} stored`,
  );
  expect(code).toBe(4006);
  expect(stored).toHaveLength(FRAMES);
  expect(newLedger.orderViolations).toBe(0);
  // The old connection got nothing after it was replaced.
  expect(oldLedger.unique).toBe(oldCount);
  a.close();
  replacement.close();
}

describe("a device connecting twice", () => {
  it("a fresh AUTH wins: the old connection is closed 4006 and its unACKed frames come again on the new one", () =>
    takeOver("fresh"));
  it("a resume wins the same way, replaying what the old connection was sent", () => takeOver("resume"));
});
