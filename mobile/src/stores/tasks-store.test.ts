import { describe, expect, it } from "vitest";
import { RpcError, type Task } from "@neural-link/shared/app";
import { ScriptedHub } from "../testing/scripted-hub";
import { createTasksStore, mergeTasks } from "./tasks-store";

const task = (id: string, patch: Partial<Task> = {}): Task => ({ id, command: `echo ${id}`, risk: "low", state: "running", created_at: Number(id.slice(1)), ...patch });

describe("tasks store", () => {
  it("runs a command and follows it through task.updated pushes", async () => {
    const hub = new ScriptedHub().on("tasks.run", ({ command }) => ({ task: task("t5", { command }) }));
    const tasks = createTasksStore(hub, 10);
    hub.onPush((p) => tasks.getState().handlePush(p));
    const started = await tasks.getState().run("  echo hi ");
    expect(started?.command).toBe("echo hi");
    hub.push("task.updated", { task: task("t5", { command: "echo hi", state: "done", exit_code: 0, output: "hi\n" }) });
    hub.push("task.updated", { task: { id: "t5", state: "exploded" } }); // malformed: ignored
    expect(tasks.getState().tasks).toEqual([task("t5", { command: "echo hi", state: "done", exit_code: 0, output: "hi\n" })]);
  });

  it("approves with the exact command text it shows, once at a time", async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const risky = task("t1", { command: "rm -rf ./build  # twice  spaced", risk: "high", state: "awaiting_approval", reasons: ["deletes files"] });
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
    expect(hub.callsOf("tasks.approve")).toEqual([{ task: "t1", approve: true, command: "rm -rf ./build  # twice  spaced" }]);
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
    const merged = mergeTasks([task("t1", { output: "so far" })], [{ id: "t1", command: "echo t1", risk: "low", state: "done" }]);
    expect(merged[0]).toMatchObject({ state: "done", output: "so far" });
  });
});
