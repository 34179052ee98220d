/**
 * Hub SIGKILL with a task running (`sleep 30`), a high-risk task waiting for
 * approval, and then phone messages queued at the relay while the hub is down
 * (docs/hub.md, "What survives what"). After the restart: the running task is
 * settled and the phone hears it (`task.updated` with a final state), the
 * high-risk task does not run until the phone approves it afresh, each queued
 * message is stored and answered exactly once, the phone shows nothing twice,
 * and the SQLite file passes integrity_check.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Task } from "@neural-link/shared/app";
import { afterAll, describe, expect, it } from "vitest";
import { until } from "../support/devices";
import { pairedPhone, type TestPhone } from "../support/hub-phone";
import { integrityOf, startHubProcess, type HubProcess } from "../support/hub-process";
import { startRelayProcess, type RelayProcess } from "../support/relay-process";
import { RUN_ID } from "../support/run-id";

/** Messages the phone sends while the hub is down. */
const QUEUED = 30;
const FINAL: ReadonlySet<Task["state"]> = new Set(["done", "failed", "rejected", "timed_out"]);

let relay: RelayProcess | undefined;
let hub: HubProcess | undefined;
let phone: TestPhone | undefined;
const scratch = mkdtempSync(join(tmpdir(), "nlink-fault-scratch-"));
afterAll(async () => {
  phone?.stop();
  await hub?.dispose();
  await relay?.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

describe("hub SIGKILL with tasks running and waiting, and messages queued while it is down", () => {
  it("settles the running task for the phone, runs nothing unapproved, handles each queued message once", async () => {
    relay = await startRelayProcess("hub-tasks");
    hub = await startHubProcess("tasks", relay.url);
    const paired = await pairedPhone(relay.url, hub.pairUri);
    phone = paired.phone;
    const { rpc, ledger } = paired;
    writeFileSync(join(scratch, "keep"), "must survive until approved");

    const sleeper = (await rpc.call("tasks.run", { command: "sleep 30" })).task;
    await until(
      () => ledger.taskStates.get(sleeper.id) === "running" || sleeper.state === "running",
      "the sleep task running",
      30_000,
    );
    const risky = (await rpc.call("tasks.run", { command: `rm -rf ${scratch}` })).task;
    expect(risky.state).toBe("awaiting_approval");

    expect((await hub.kill()).signal).toBe("SIGKILL");
    const tag = `queued-${RUN_ID}`;
    const calls = Array.from({ length: QUEUED }, (_, i) =>
      rpc.call("messages.send", { text: `${tag}-${i}` }).then(
        (r) => ({ ok: true as const, id: r.message.id }),
        (err: unknown) => ({ ok: false as const, err: String(err) }),
      ),
    );
    await hub.restart();

    const results = await Promise.all(calls);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    // The interrupted task reaches the phone in a final state, without the phone asking.
    await until(
      () => FINAL.has(ledger.taskStates.get(sleeper.id)!),
      "task.updated with a final state for the interrupted task",
      60_000,
    );
    expect((await rpc.call("tasks.get", { task: sleeper.id })).task.state).toBe(ledger.taskStates.get(sleeper.id));
    // The high-risk task waits (or was refused): nothing ran it without a fresh approval.
    const waiting = (await rpc.call("tasks.get", { task: risky.id })).task;
    expect(["awaiting_approval", "rejected"]).toContain(waiting.state);
    expect(existsSync(join(scratch, "keep"))).toBe(true);
    if (waiting.state === "awaiting_approval") {
      await rpc.call("tasks.approve", { task: risky.id, approve: true });
      await until(() => FINAL.has(ledger.taskStates.get(risky.id)!), "the approved task finished", 60_000);
      expect(ledger.taskStates.get(risky.id)).toBe("done");
      expect(existsSync(scratch)).toBe(false);
    }

    await hub.stop();
    const rows = hub.withDb(
      (db) =>
        db.prepare("SELECT text, count(*) AS n FROM messages WHERE text LIKE ? GROUP BY text").all(`${tag}-%`) as {
          text: string;
          n: number;
        }[],
    );
    expect(rows.length).toBe(QUEUED);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect(new Set(results.map((r) => (r.ok ? r.id : "")))).toHaveProperty("size", QUEUED);
    // However often the relay delivered a frame, the phone let it through once.
    expect([...ledger.accepted.values()].every((n) => n === 1)).toBe(true);
    console.log(
      `[faults] hub kill with tasks: interrupted task -> ${ledger.taskStates.get(sleeper.id)} (pushed), high-risk task after restart ${waiting.state}, ` +
        `${QUEUED} queued sends stored once each, duplicate frames delivered to the phone ${ledger.duplicateFrames()} (dropped by its replay check)`,
    );
    expect(integrityOf(hub)).toBe("ok");
  });
});
