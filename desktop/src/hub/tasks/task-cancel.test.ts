import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../store";
import { openTempStore, silentLog } from "../store/test-support";
import type { SandboxStatus } from "./ports";
import { TaskService, type TaskUpdatedEvent } from "./task-service";

let store: Store;
let cleanup: () => Promise<void>;
let dir: string;
let service: TaskService | null = null;

beforeEach(async () => {
  ({ store, cleanup } = await openTempStore());
  dir = mkdtempSync(join(tmpdir(), "nl-cancel-"));
});

afterEach(async () => {
  await service?.shutdown();
  service = null;
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** No sandbox: every device command waits for approval, so each test decides when a task starts. */
const NO_SANDBOX: SandboxStatus = { kind: "none", available: false, reason: "not in this test" };

function make() {
  const events: TaskUpdatedEvent[] = [];
  service = new TaskService({
    tasks: store.tasks,
    audit: store.audit,
    policyFor: () => undefined,
    log: silentLog,
    sandbox: NO_SANDBOX,
    settings: { home: dir, approvals: "desktop" },
    executor: { defaultCwd: dir },
  });
  service.onUpdated((e) => events.push(e));
  return { s: service, events };
}

/** `tasks.cancel` (docs/protocol.md section 11) on a real store and a real pty. */
describe("TaskService.cancel", () => {
  it("withdraws a task awaiting approval: rejected, end_reason cancelled, ended_by the device; only its own device may", async () => {
    const { s, events } = make();
    const task = await s.run({ command: "sleep 120", requestedBy: "phone-1" });
    expect(task.state).toBe("awaiting_approval");
    await expect(s.cancel({ task: task.id, by: "phone-2" })).rejects.toMatchObject({ code: "not_found" });
    const withdrawn = await s.cancel({ task: task.id, by: "phone-1" });
    expect(withdrawn).toMatchObject({ state: "rejected", endReason: "cancelled", endedBy: "phone-1" });
    expect(events.at(-1)?.task).toMatchObject({ id: task.id, state: "rejected", endReason: "cancelled" });
    // It can no longer be approved, nor cancelled twice.
    await expect(s.approve({ task: task.id, approve: true, by: "desktop" })).rejects.toMatchObject({
      code: "not_awaiting",
    });
    await expect(s.cancel({ task: task.id, by: "phone-1" })).rejects.toMatchObject({ code: "conflict" });
    const audit = (await store.audit.list({ limit: 50 }))
      .filter((e) => e.subject === task.id)
      .map((e) => `${e.actor}:${e.action}`);
    expect(audit).toContain("phone-1:task.cancelled");
  });

  it("kills a running task (sleep 120): failed, end_reason cancelled, ended_by who stopped it; the wire says so", async () => {
    const { s } = make();
    const task = await s.run({ command: "sleep 120", requestedBy: "phone-1" });
    const running = await s.approve({ task: task.id, approve: true, by: "desktop" });
    expect(running.state).toBe("running");
    const ended = await s.cancel({ task: task.id, by: "desktop" });
    expect(ended).toMatchObject({ state: "failed", endReason: "cancelled", endedBy: "desktop" });
    expect(ended.endedAt).not.toBeNull();
    expect(s.toWire(ended)).toMatchObject({ state: "failed", end_reason: "cancelled", ended_by: "desktop" });
    expect(await s.settled(task.id)).toMatchObject({ state: "failed", endReason: "cancelled" });
  }, 30_000);

  it("refuses to cancel a task that has ended", async () => {
    const { s } = make();
    const task = await s.run({ command: "echo hi", requestedBy: "desktop" });
    await s.settled(task.id);
    await expect(s.cancel({ task: task.id, by: "desktop" })).rejects.toMatchObject({ code: "conflict" });
  });
});
