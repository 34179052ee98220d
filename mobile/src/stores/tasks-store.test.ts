import { describe, expect, it } from "vitest";
import { RpcError, type Task } from "@neural-link/shared/app";
import { ScriptedHub } from "../../test/scripted-hub";
import { createTasksStore, mergeTasks, recentCwds } from "./tasks-store";

const task = (id: string, patch: Partial<Task> = {}): Task => ({
  id,
  command: `echo ${id}`,
  risk: "low",
  state: "running",
  created_at: Number(id.slice(1)),
  ...patch,
});

describe("tasks store", () => {
  it("runs a command and follows it through task.updated pushes", async () => {
    const hub = new ScriptedHub().on("tasks.run", ({ command }) => ({ task: task("t5", { command }) }));
    const tasks = createTasksStore(hub, 10);
    hub.onPush((p) => tasks.getState().handlePush(p));
    const started = await tasks.getState().run("  echo hi ");
    expect(started?.command).toBe("echo hi");
    hub.push("task.updated", { task: task("t5", { command: "echo hi", state: "done", exit_code: 0, output: "hi\n" }) });
    hub.push("task.updated", { task: { id: "t5", state: "exploded" } }); // malformed: ignored
    expect(tasks.getState().tasks).toEqual([
      task("t5", { command: "echo hi", state: "done", exit_code: 0, output: "hi\n" }),
    ]);
  });

  it("approves with the exact command text it shows, once at a time", async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const risky = task("t1", {
      command: "rm -rf ./build  # twice  spaced",
      risk: "high",
      state: "awaiting_approval",
      reasons: ["deletes files"],
    });
    const hub = new ScriptedHub()
      .on("tasks.list", () => ({ tasks: [risky] }))
      .on("tasks.approve", async ({ task: id, approve }) => {
        await gate;
        return { task: task(id, { ...risky, state: approve ? "running" : "rejected" }) };
      });
    const tasks = createTasksStore(hub, 10);
    await tasks.getState().refresh();
    const first = tasks.getState().decide("t1", true);
    void tasks.getState().decide("t1", true); // a double tap while the first is in flight
    expect(tasks.getState().deciding).toEqual(["t1"]);
    release();
    await first;
    expect(hub.callsOf("tasks.approve")).toEqual([
      { task: "t1", approve: true, command: "rm -rf ./build  # twice  spaced" },
    ]);
    expect(tasks.getState().tasks[0]?.state).toBe("running");
    expect(tasks.getState().deciding).toEqual([]);
  });

  it("pages history and words errors", async () => {
    const all = [task("t4"), task("t3"), task("t2"), task("t1")];
    const hub = new ScriptedHub().on("tasks.list", ({ before, limit = 50 }) => {
      const from = before ? all.findIndex((t) => t.id === before) + 1 : 0;
      return { tasks: all.slice(from, from + limit) };
    });
    const tasks = createTasksStore(hub, 2);
    await tasks.getState().refresh();
    await tasks.getState().loadOlder();
    expect(tasks.getState().tasks.map((t) => t.id)).toEqual(["t4", "t3", "t2", "t1"]);
    hub.on("tasks.run", () => {
      throw new RpcError("forbidden", "no");
    });
    expect(await tasks.getState().run("ls")).toBeNull();
    expect(tasks.getState().error).toMatch(/not allowed/);
  });

  it("keeps fields an update leaves out", () => {
    const merged = mergeTasks(
      [task("t1", { output: "so far" })],
      [{ id: "t1", command: "echo t1", risk: "low", state: "done" }],
    );
    expect(merged[0]).toMatchObject({ state: "done", output: "so far" });
  });

  it("approves once or for today, and never sends `remember` with a rejection", async () => {
    const risky = task("t1", { risk: "high", state: "awaiting_approval" });
    const hub = new ScriptedHub()
      .on("tasks.list", () => ({ tasks: [risky, task("t2", { risk: "high", state: "awaiting_approval" })] }))
      .on("tasks.approve", ({ task: id, approve }) => ({
        task: task(id, { risk: "high", state: approve ? "running" : "rejected" }),
      }));
    const tasks = createTasksStore(hub, 10);
    await tasks.getState().refresh();
    await tasks.getState().decide("t1", true, "today");
    await tasks.getState().decide("t2", false, "today");
    expect(hub.callsOf("tasks.approve")).toEqual([
      { task: "t1", approve: true, command: "echo t1", remember: "today" },
      { task: "t2", approve: false, command: "echo t2" },
    ]);
  });

  it("cancels a running task and shows who stopped it; a second tap while it is in flight sends nothing", async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const hub = new ScriptedHub()
      .on("tasks.run", ({ command }) => ({ task: task("t7", { command, state: "running" }) }))
      .on("tasks.cancel", async ({ task: id }) => {
        await gate;
        return { task: task(id, { command: "sleep 120", state: "failed", end_reason: "cancelled", ended_by: "me" }) };
      });
    const tasks = createTasksStore(hub, 10);
    await tasks.getState().run("sleep 120", " /srv/app ");
    expect(hub.callsOf("tasks.run")).toEqual([{ command: "sleep 120", cwd: "/srv/app" }]);
    const first = tasks.getState().cancel("t7");
    void tasks.getState().cancel("t7");
    release();
    await first;
    expect(hub.callsOf("tasks.cancel")).toEqual([{ task: "t7" }]);
    expect(tasks.getState().tasks[0]).toMatchObject({ state: "failed", end_reason: "cancelled", ended_by: "me" });
  });

  it("escalates a task the sandbox blocked into a new task awaiting approval, kept beside the first", async () => {
    const blocked = task("t1", {
      state: "failed",
      sandbox: { mode: "read-only", blocked: "it tried to write to a read-only file system" },
    });
    const hub = new ScriptedHub()
      .on("tasks.list", () => ({ tasks: [blocked] }))
      .on("tasks.escalate", ({ task: id }) => ({
        task: task("t2", { risk: "high", state: "awaiting_approval", escalated_from: id, sandbox: null }),
      }));
    const tasks = createTasksStore(hub, 10);
    await tasks.getState().refresh();
    const fresh = await tasks.getState().escalate("t1");
    expect(fresh).toMatchObject({ id: "t2", state: "awaiting_approval", escalated_from: "t1" });
    expect(tasks.getState().tasks.map((t) => t.id)).toEqual(["t2", "t1"]);
  });

  it("learns the sandbox in force from hub.info, and keeps working with an older hub that does not say", async () => {
    const sandbox = { kind: "none", available: false, reason: "bubblewrap is not installed" };
    const hub = new ScriptedHub().on("hub.info", () => ({
      device: "d",
      name: "Desk",
      version: "1",
      caps: ["tasks" as const],
      sandbox,
    }));
    const tasks = createTasksStore(hub, 10);
    await tasks.getState().loadInfo();
    expect(tasks.getState().sandbox).toEqual(sandbox);
    const old = new ScriptedHub().on("hub.info", () => ({ device: "d", name: "Desk", version: "1", caps: [] }));
    const oldTasks = createTasksStore(old, 10);
    await oldTasks.getState().loadInfo();
    expect(oldTasks.getState().sandbox).toBeNull();
  });

  it("offers earlier working directories, most recent first, without repeats", () => {
    const list = [
      task("t4", { cwd: "/a" }),
      task("t3", { cwd: null }),
      task("t2", { cwd: "/b" }),
      task("t1", { cwd: "/a" }),
    ];
    expect(recentCwds(list)).toEqual(["/a", "/b"]);
    expect(recentCwds(list, 1)).toEqual(["/a"]);
  });
});
