/**
 * Hub SIGKILL in the middle of a burst of `messages.send` calls from a phone
 * (docs/hub.md, "What survives what"). The frame id, the stored message and
 * the answer's outbox entry commit together and the ACK follows the commit,
 * so after the restart the relay's redelivery either finds the call done
 * (dropped as a replay; its answer is re-sent from the outbox) or not done
 * at all (handled now): zero lost, zero stored twice, every call answered.
 */
import { afterAll, describe, expect, it } from "vitest";
import { until } from "../support/devices";
import { pairedPhone, type TestPhone } from "../support/hub-phone";
import { integrityOf, startHubProcess, type HubProcess } from "../support/hub-process";
import { startRelayProcess, type RelayProcess } from "../support/relay-process";
import { RUN_ID } from "../support/run-id";

/** Calls in the burst, and how many answers arrive before the kill. */
const BURST = 80;
const KILL_AFTER_ANSWERS = 12;
/** How long after the restart every call must have its answer. */
const ANSWER_WAIT_MS = 90_000;

let relay: RelayProcess | undefined;
let hub: HubProcess | undefined;
let phone: TestPhone | undefined;
afterAll(async () => {
  phone?.stop();
  await hub?.dispose();
  await relay?.dispose();
});

describe("hub SIGKILL during a burst of messages.send", () => {
  it("loses none, stores none twice, answers every call", { timeout: 300_000 }, async () => {
    relay = await startRelayProcess("hub-burst");
    hub = await startHubProcess("burst", relay.url);
    const paired = await pairedPhone(relay.url, hub.pairUri);
    phone = paired.phone;
    const tag = `burst-${RUN_ID}`;
    let answered = 0;
    const calls = Array.from({ length: BURST }, (_, i) =>
      paired.rpc.call("messages.send", { text: `${tag}-${i}` }).then(
        (r) => {
          answered += 1;
          return { ok: true as const, id: r.message.id };
        },
        (err: unknown) => ({ ok: false as const, err: String(err) }),
      ),
    );
    await until(() => answered >= KILL_AFTER_ANSWERS, "the first answers of the burst", 60_000, 1);
    const exit = await hub.kill();
    expect(exit.signal).toBe("SIGKILL");
    const answeredAtKill = answered;
    await hub.restart();
    // Bounded: a lost call would otherwise wait for its own timeout.
    await until(() => answered >= BURST, "every call answered", ANSWER_WAIT_MS, 50).catch(() => undefined);
    const results = await Promise.race([Promise.all(calls), new Promise<null>((r) => setTimeout(() => r(null), 10))]);
    const unanswered = BURST - answered;
    const ids = (results ?? []).flatMap((r) => (r.ok ? [r.id] : []));
    await hub.stop();
    const rows = hub.withDb(
      (db) =>
        db.prepare("SELECT id, text FROM messages WHERE text LIKE ? ORDER BY seq").all(`${tag}-%`) as {
          id: string;
          text: string;
        }[],
    );
    const texts = new Set(rows.map((r) => r.text));
    const lost = BURST - texts.size;
    const duplicated = rows.length - texts.size;
    console.log(
      `[faults] hub kill mid-burst: ${BURST} sends, killed after ${answeredAtKill} answers, lost ${lost}, stored twice ${duplicated}, unanswered ${unanswered}, ` +
        `duplicate frames at the phone ${paired.ledger.duplicateFrames()}`,
    );
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(unanswered).toBe(0);
    // Each answer names the one stored row of its text.
    expect(new Set(ids)).toEqual(new Set(rows.map((r) => r.id)));
    // The phone's endpoint let each frame through once, however often the relay delivered it.
    expect([...paired.ledger.accepted.values()].every((n) => n === 1)).toBe(true);
    expect(integrityOf(hub)).toBe("ok");
  });
});
