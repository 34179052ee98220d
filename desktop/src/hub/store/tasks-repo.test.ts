import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "./open-store";
import { openTempStore } from "./test-support";
import type { NewTask, TaskRepo } from "./types";

let store: Store;
let cleanup: () => Promise<void>;
let clock = 1_000;

beforeEach(async () => {
  clock = 1_000;
  ({ store, cleanup } = await openTempStore({ now: () => clock++, options: { taskOutputCap: 100 } }));
});
afterEach(() => cleanup());

const lsTask: NewTask = {
  command: "ls -la",
  cwd: "/tmp",
  risk: "low",
  reasons: [],
  state: "running",
  requestedBy: "phone-1",
  timeoutMs: 60_000,
};

describe("TasksRepo", () => {
  it("works through the TaskRepo interface the task service consumes", async () => {
    // The assignment is the compile-time check; the calls check that the interface's methods do their job.
    const repo: TaskRepo = store.tasks;
    const t = await repo.create(lsTask);
    expect(await repo.get(t.id)).toMatchObject({ id: t.id, command: "ls -la", state: "running" });
    await repo.setState(t.id, "done", { exitCode: 0 });
    expect(await repo.history(t.id)).toEqual([
      expect.objectContaining({ state: "running" }),
      expect.objectContaining({ state: "done" }),
    ]);
    expect(await repo.get("t-none")).toBeUndefined();
  });

  it("creates a task with its first history row", async () => {
    const t = await store.tasks.create({
      ...lsTask,
      risk: "high",
      reasons: ["deletes files"],
      state: "awaiting_approval",
    });
    expect(t).toMatchObject({
      command: "ls -la",
      cwd: "/tmp",
      risk: "high",
      reasons: ["deletes files"],
      state: "awaiting_approval",
      requestedBy: "phone-1",
      timeoutMs: 60_000,
      exitCode: null,
      output: "",
      startedAt: null,
      endedAt: null,
      approvals: [],
    });
    expect(await store.tasks.get(t.id)).toEqual(t);
    expect(await store.tasks.history(t.id)).toEqual([{ state: "awaiting_approval", at: t.createdAt }]);
    expect(await store.tasks.get("missing")).toBeUndefined();
  });

  it("keeps the start time of a task created already running, and none otherwise", async () => {
    const running = await store.tasks.create({ ...lsTask, startedAt: 42 });
    expect(running).toMatchObject({ state: "running", startedAt: 42, endedAt: null });
    expect((await store.tasks.get(running.id))!.startedAt).toBe(42);
    expect((await store.tasks.create(lsTask)).startedAt).toBeNull();
  });

  it("changes state with a patch and records each change", async () => {
    const t = await store.tasks.create({ ...lsTask, state: "awaiting_approval" });
    const running = await store.tasks.setState(t.id, "running", { startedAt: 50 });
    expect(running).toMatchObject({ state: "running", startedAt: 50, exitCode: null, endedAt: null });
    const done = await store.tasks.setState(t.id, "failed", { exitCode: 2, endedAt: 90 });
    expect(done).toMatchObject({ state: "failed", startedAt: 50, exitCode: 2, endedAt: 90 });
    expect((await store.tasks.history(t.id)).map((h) => h.state)).toEqual(["awaiting_approval", "running", "failed"]);
    await expect(store.tasks.setState("missing", "done")).rejects.toMatchObject({ code: "not_found" });
  });

  it("keeps only the last taskOutputCap characters of output", async () => {
    const t = await store.tasks.create(lsTask);
    await store.tasks.appendOutput(t.id, "a".repeat(60));
    await store.tasks.appendOutput(t.id, "b".repeat(30));
    expect((await store.tasks.get(t.id))!.output).toBe("a".repeat(60) + "b".repeat(30));
    await store.tasks.appendOutput(t.id, "c".repeat(30));
    const out = (await store.tasks.get(t.id))!.output;
    expect(out).toHaveLength(100);
    expect(out).toBe("a".repeat(40) + "b".repeat(30) + "c".repeat(30));
    await store.tasks.appendOutput(t.id, "é".repeat(250));
    expect((await store.tasks.get(t.id))!.output).toBe("é".repeat(100));
    await expect(store.tasks.appendOutput("missing", "x")).rejects.toMatchObject({ code: "not_found" });
  });

  it("records approvals in order", async () => {
    const t = await store.tasks.create({ ...lsTask, state: "awaiting_approval", risk: "high" });
    await store.tasks.addApproval(t.id, { by: "phone-1", approve: true, at: 10 });
    await store.tasks.addApproval(t.id, { by: "desktop", approve: false, at: 11 });
    expect((await store.tasks.get(t.id))!.approvals).toEqual([
      { by: "phone-1", approve: true, at: 10 },
      { by: "desktop", approve: false, at: 11 },
    ]);
    await expect(store.tasks.addApproval("missing", { by: "x", approve: true, at: 1 })).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("lists newest first with a cursor, approvals included", async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await store.tasks.create({ ...lsTask, command: `echo ${i}` })).id);
    await store.tasks.addApproval(ids[3]!, { by: "desktop", approve: true, at: 5 });
    const page = await store.tasks.list({ limit: 2 });
    expect(page.map((t) => t.command)).toEqual(["echo 4", "echo 3"]);
    expect(page[1]!.approvals).toHaveLength(1);
    const next = await store.tasks.list({ limit: 10, before: page[1]!.id });
    expect(next.map((t) => t.command)).toEqual(["echo 2", "echo 1", "echo 0"]);
  });

  it("rejects values the schema does not allow", async () => {
    await expect(store.tasks.create({ ...lsTask, state: "paused" as never })).rejects.toThrow(/CHECK constraint/);
    await expect(store.tasks.create({ ...lsTask, timeoutMs: 0 })).rejects.toThrow(/CHECK constraint/);
  });
});
