import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { detectSandbox } from "../sandbox";
import type { Store } from "../store";
import { openTempStore, silentLog } from "../store/test-support";
import { ApprovalError, commandDigest } from "./approvals";
import type { SandboxStatus, TaskRepo } from "./ports";
import { INTERRUPTED_NOTE } from "./recover";
import { TaskService, type TaskServiceDeps, type TaskUpdatedEvent } from "./task-service";

let store: Store;
let cleanup: () => Promise<void>;
let dir: string;
/** Every service a test made: each is shut down before its store closes. */
let services: TaskService[] = [];

beforeEach(async () => {
  ({ store, cleanup } = await openTempStore());
  dir = mkdtempSync(join(tmpdir(), "nl-tasks-"));
});

afterEach(async () => {
  await Promise.all(services.map((s) => s.shutdown()));
  services = [];
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** The OS sandbox of this machine (real bubblewrap): low-risk device tasks run in it. */
let SANDBOX: SandboxStatus;
beforeAll(async () => {
  SANDBOX = await detectSandbox({ log: silentLog });
});

function make(extra: Partial<TaskServiceDeps> = {}) {
  const events: TaskUpdatedEvent[] = [];
  const s = new TaskService({
    tasks: store.tasks,
    audit: store.audit,
    policyFor: () => undefined,
    log: silentLog,
    sandbox: SANDBOX,
    ...extra,
    settings: { home: dir, ...extra.settings },
    executor: { defaultCwd: dir, ...extra.executor },
  });
  s.onUpdated((e) => events.push(e));
  services.push(s);
  return { s, events };
}

const actions = async (id: string) =>
  (await store.audit.list({ limit: 100 }))
    .filter((e) => e.subject === id)
    .map((e) => `${e.actor}:${e.action}`)
    .reverse();

describe("TaskService", () => {
  it("finds the sandbox these tests rely on", () => {
    expect(SANDBOX).toMatchObject({ kind: "bubblewrap", available: true });
  });

  it("runs a low-risk task at once and records output, exit code, history and audit", async () => {
    const { s, events } = make();
    const task = await s.run({ command: "echo hello; pwd", requestedBy: "phone-1" });
    expect(task).toMatchObject({ risk: "low", state: "running" });
    expect(task.startedAt).toEqual(expect.any(Number));
    const done = await s.settled(task.id);
    expect(done).toMatchObject({ state: "done", exitCode: 0, output: `hello\r\n${dir}\r\n` });
    expect(done.startedAt).toBe(task.startedAt);
    expect(done.endedAt).not.toBeNull();
    expect((await store.tasks.history(task.id)).map((h) => h.state)).toEqual(["running", "done"]);
    expect(events.map((e) => [e.task.state, e.requestedBy])).toEqual([
      ["running", "phone-1"],
      ["done", "phone-1"],
    ]);
    expect(await actions(task.id)).toEqual(["phone-1:task.requested", "hub:task.finished"]);
    const audit = (await store.audit.list({ limit: 10 })).filter((e) => e.subject === task.id);
    expect(audit.find((e) => e.action === "task.finished")?.detail).toMatchObject({
      state: "done",
      exitCode: 0,
      endReason: "exit",
      sandbox: "read-only",
    });
    expect(done).toMatchObject({ sandboxMode: "read-only", endReason: "exit" });
    expect(audit.find((e) => e.action === "task.requested")?.detail).toMatchObject({
      risk: "low",
      digest: task.digest,
    });
  });

  it("records a non-zero exit as failed and a time-out as timed_out", async () => {
    const { s } = make();
    const failed = await s.run({ command: "echo boom; exit 3", requestedBy: "phone-1" });
    expect(await s.settled(failed.id)).toMatchObject({ state: "failed", exitCode: 3 });
    const slow = await s.run({ command: "sleep 30", timeoutMs: 300, requestedBy: "phone-1" });
    expect((await s.settled(slow.id)).state).toBe("timed_out");
  });

  it("never spawns a forbidden command", async () => {
    const { s, events } = make();
    const marker = join(dir, "forbidden-ran");
    const task = await s.run({ command: `touch ${marker}; rm -rf /`, requestedBy: "phone-1" });
    expect(task.state).toBe("rejected");
    expect(task.risk).toBe("forbidden");
    expect(task.reasons.join(" ")).toMatch(/wipes \//);
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(marker)).toBe(false);
    expect((await s.get(task.id)).state).toBe("rejected");
    expect(events).toHaveLength(1);
    await expect(s.approve({ task: task.id, approve: true, by: "phone-1" })).rejects.toMatchObject({
      code: "not_awaiting",
    });
  });

  it("holds a high-risk task until both the phone and the desktop approve (default mode)", async () => {
    const { s } = make();
    const marker = join(dir, "high-ran");
    const command = `touch ${marker} && frobnicate-nl`;
    const task = await s.run({ command, requestedBy: "phone-1" });
    expect(task).toMatchObject({ risk: "high", state: "awaiting_approval", startedAt: null });
    expect(s.toWire(task).awaiting).toEqual(["phone", "desktop"]);

    await expect(
      s.approve({ task: task.id, approve: true, by: "phone-1", digest: commandDigest(command + " ") }),
    ).rejects.toMatchObject({ code: "digest_mismatch" });
    await expect(s.approve({ task: task.id, approve: true, by: "phone-2" })).rejects.toBeInstanceOf(ApprovalError);
    const half = await s.approve({ task: task.id, approve: true, by: "phone-1", digest: commandDigest(command) });
    expect(half.state).toBe("awaiting_approval");
    expect(s.toWire(half).awaiting).toEqual(["desktop"]);
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(marker)).toBe(false);

    const started = await s.approve({ task: task.id, approve: true, by: "desktop" });
    expect(started.state).toBe("running");
    expect(started.startedAt).toEqual(expect.any(Number));
    const end = await s.settled(task.id);
    expect(existsSync(marker)).toBe(true);
    expect(end.state).toBe("failed"); // frobnicate-nl does not exist
    expect(end.approvals.map((a) => [a.by, a.approve])).toEqual([
      ["phone-1", true],
      ["desktop", true],
    ]);
    expect(await actions(task.id)).toEqual([
      "phone-1:task.requested",
      "phone-1:task.approval_refused",
      "phone-2:task.approval_refused",
      "phone-1:task.approved",
      "desktop:task.approved",
      "hub:task.finished",
    ]);
  });

  it("any reject rejects, and the task never runs", async () => {
    const { s } = make();
    const marker = join(dir, "rejected-ran");
    const task = await s.run({ command: `touch ${marker}; sudo true`, requestedBy: "phone-1" });
    await s.approve({ task: task.id, approve: true, by: "phone-1" });
    const rejected = await s.approve({ task: task.id, approve: false, by: "desktop" });
    expect(rejected.state).toBe("rejected");
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(marker)).toBe(false);
  });

  it('"phone" mode: the requester alone approves; another device cannot', async () => {
    const { s } = make({ settings: { approvals: "phone" } });
    const task = await s.run({ command: "frobnicate-nl", requestedBy: "phone-1" });
    await expect(s.approve({ task: task.id, approve: true, by: "phone-2" })).rejects.toMatchObject({
      code: "not_allowed",
    });
    await expect(s.approve({ task: task.id, approve: true, by: "desktop" })).rejects.toMatchObject({
      code: "not_allowed",
    });
    expect((await s.approve({ task: task.id, approve: true, by: "phone-1" })).state).toBe("running");
    await s.settled(task.id);
  });

  it("the approvals mode can change at run time and is validated", async () => {
    const { s } = make();
    const task = await s.run({ command: "frobnicate-nl", requestedBy: "phone-1" });
    s.setApprovals("desktop");
    expect(s.toWire(task).awaiting).toEqual(["desktop"]);
    expect(() => s.setApprovals("anyone" as never)).toThrow(/approvals must be one of/);
    expect((await s.approve({ task: task.id, approve: true, by: "desktop" })).state).toBe("running");
    await s.settled(task.id);
  });

  it("concurrent approvals start a task once", async () => {
    const { s, events } = make({ settings: { approvals: "phone" } });
    const task = await s.run({ command: "frobnicate-nl", requestedBy: "phone-1" });
    const results = await Promise.allSettled([
      s.approve({ task: task.id, approve: true, by: "phone-1" }),
      s.approve({ task: task.id, approve: true, by: "phone-1" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    await s.settled(task.id);
    expect(events.filter((e) => e.task.state === "running")).toHaveLength(1);
  });

  it("classifies with the requesting device's policy", async () => {
    const { s } = make({ policyFor: (d) => (d === "phone-2" ? { allow: ["frobnicate-nl"] } : { forbid: ["echo"] }) });
    expect((await s.run({ command: "frobnicate-nl", requestedBy: "phone-2" })).risk).toBe("low");
    expect((await s.run({ command: "echo hi", requestedBy: "phone-1" })).state).toBe("rejected");
    const broken = make({ policyFor: () => ({ allow: "ls" }) as never }).s;
    expect((await broken.run({ command: "ls", requestedBy: "phone-3" })).risk).toBe("high");
  });

  it("stores output in batches, not one write per chunk", async () => {
    let writes = 0;
    const counting: TaskRepo = {
      ...bind(store.tasks),
      appendOutput: (id, chunk) => (writes++, store.tasks.appendOutput(id, chunk)),
    };
    const { s } = make({ tasks: counting, settings: { outputFlushMs: 60_000, outputFlushChars: 1 << 30 } });
    const task = await s.run({ command: "seq 1 5000", requestedBy: "phone-1" });
    const done = await s.settled(task.id);
    expect(writes).toBe(1);
    expect(done.output.endsWith("4999\r\n5000\r\n")).toBe(true);
  });

  it("validates requests", async () => {
    const { s } = make();
    await expect(s.run({ command: "  ", requestedBy: "phone-1" })).rejects.toMatchObject({ code: "bad_request" });
    await expect(s.run({ command: "ls", cwd: "relative", requestedBy: "phone-1" })).rejects.toMatchObject({
      code: "bad_request",
    });
    await expect(s.run({ command: "ls", timeoutMs: 0, requestedBy: "phone-1" })).rejects.toMatchObject({
      code: "bad_request",
    });
    await expect(s.get("missing")).rejects.toMatchObject({ code: "not_found" });
    const t = await s.run({ command: "ls", cwd: join(dir, "missing"), requestedBy: "phone-1" });
    const end = await s.settled(t.id);
    expect(end.state).toBe("failed");
    expect(end.output).toMatch(/does not exist/);
  });

  it("on start, fails tasks a previous process left running and keeps awaiting ones", async () => {
    const base = { cwd: null, reasons: [], requestedBy: "phone-1", timeoutMs: 1000 };
    const running = await store.tasks.create({ ...base, command: "sleep 100", risk: "low", state: "running" });
    const waiting = await store.tasks.create({
      ...base,
      command: "frobnicate-nl",
      risk: "high",
      state: "awaiting_approval",
    });
    const { s } = make({ settings: { recoveryPageSize: 1 } });
    expect(await s.recover()).toBe(1);
    expect(await s.get(running.id)).toMatchObject({ state: "failed", output: INTERRUPTED_NOTE });
    expect((await s.get(waiting.id)).state).toBe("awaiting_approval");
    expect(await actions(running.id)).toEqual(["hub:task.interrupted"]);
  });
});

/** The store's repo methods bound to it, so one can be wrapped. */
function bind(repo: TaskRepo): TaskRepo {
  return {
    create: (t) => repo.create(t),
    get: (id) => repo.get(id),
    list: (o) => repo.list(o),
    setState: (id, st, p) => repo.setState(id, st, p),
    appendOutput: (id, c) => repo.appendOutput(id, c),
    addApproval: (id, a) => repo.addApproval(id, a),
    history: (id) => repo.history(id),
    byTerm: (term) => repo.byTerm(term),
  };
}
