import { createStore, type StoreApi } from "zustand/vanilla";
import { type SandboxInfo, type Task, taskUpdatedSchema } from "@neural-link/shared/app";
import type { HubCaller, Push } from "../connection/hub-link";
import { MOBILE_SETTINGS } from "../settings";
import { describeError } from "./errors";

/**
 * How long an approval covers: this task only, or this exact command for the rest of the day (docs/protocol.md section
 * 11).
 */
export type Remember = "once" | "today";

export interface TasksState {
  /** Newest first. */
  tasks: Task[];
  hasOlder: boolean;
  loading: boolean;
  running: boolean;
  /** Task ids with a call in flight (approve, reject, cancel, escalate), so their buttons cannot be pressed twice. */
  deciding: string[];
  error: string | null;
  /** The OS sandbox the hub runs low-risk commands in (`hub.info`); null until known or from an older hub. */
  sandbox: SandboxInfo | null;
  refresh(): Promise<void>;
  loadInfo(): Promise<void>;
  loadOlder(): Promise<void>;
  run(command: string, cwd?: string): Promise<Task | null>;
  decide(taskId: string, approve: boolean, remember?: Remember): Promise<void>;
  /** Stops a running task, or withdraws one still awaiting approval (`tasks.cancel`). */
  cancel(taskId: string): Promise<void>;
  /** Asks to re-run a task the sandbox stopped, with full rights: a new task that needs approval (`tasks.escalate`). */
  escalate(taskId: string): Promise<Task | null>;
  /** Merges tasks learnt elsewhere (the terminal's approval request from `term.open`). */
  upsert(tasks: readonly Task[]): void;
  handlePush(push: Push): void;
}

function orderKey(t: Task): number {
  return t.created_at ?? t.started_at ?? 0;
}

/** Upserts tasks by id; a newer copy replaces an older one. Newest first. */
export function mergeTasks(current: readonly Task[], incoming: readonly Task[]): Task[] {
  const byId = new Map(current.map((t) => [t.id, t]));
  for (const t of incoming) byId.set(t.id, { ...byId.get(t.id), ...t });
  return [...byId.values()].sort((a, b) => orderKey(b) - orderKey(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** Working directories of earlier tasks, most recent first, without repeats: the cwd field's suggestions. */
export function recentCwds(tasks: readonly Task[], max: number = MOBILE_SETTINGS.recentCwds): string[] {
  const out: string[] = [];
  for (const t of tasks) {
    if (t.cwd && !out.includes(t.cwd)) out.push(t.cwd);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * Tasks on the hub: run, approve or reject with the exact command shown, cancel, escalate, live `task.updated` pushes,
 * history.
 */
export function createTasksStore(
  hub: HubCaller,
  pageSize: number = MOBILE_SETTINGS.taskPageSize,
): StoreApi<TasksState> {
  return createStore<TasksState>((set, get) => {
    /** Runs one call for a task, at most one at a time per task; the task it returns is merged in. */
    const busy = async (taskId: string, call: () => Promise<Task>): Promise<Task | null> => {
      if (get().deciding.includes(taskId)) return null;
      set({ deciding: [...get().deciding, taskId], error: null });
      try {
        const task = await call();
        set({ tasks: mergeTasks(get().tasks, [task]) });
        return task;
      } catch (e) {
        set({ error: describeError(e) });
        return null;
      } finally {
        set({ deciding: get().deciding.filter((id) => id !== taskId) });
      }
    };

    return {
      tasks: [],
      hasOlder: true,
      loading: false,
      running: false,
      deciding: [],
      error: null,
      sandbox: null,

      async refresh() {
        set({ loading: true, error: null });
        try {
          const { tasks } = await hub.call("tasks.list", { limit: pageSize });
          set({ tasks: mergeTasks(get().tasks, tasks), hasOlder: tasks.length === pageSize, loading: false });
        } catch (e) {
          set({ loading: false, error: describeError(e) });
        }
      },

      async loadInfo() {
        try {
          const info = await hub.call("hub.info", {});
          set({ sandbox: info.sandbox ?? null });
        } catch {
          // Only the sandbox line depends on it; the tasks themselves still work.
        }
      },

      async loadOlder() {
        const { tasks, loading, hasOlder } = get();
        const oldest = tasks[tasks.length - 1];
        if (loading || !hasOlder || !oldest) return;
        set({ loading: true, error: null });
        try {
          const page = await hub.call("tasks.list", { before: oldest.id, limit: pageSize });
          set({ tasks: mergeTasks(get().tasks, page.tasks), hasOlder: page.tasks.length === pageSize, loading: false });
        } catch (e) {
          set({ loading: false, error: describeError(e) });
        }
      },

      async run(command, cwd) {
        const text = command.trim();
        const dir = cwd?.trim();
        if (text === "" || get().running) return null;
        set({ running: true, error: null });
        try {
          const { task } = await hub.call("tasks.run", dir ? { command: text, cwd: dir } : { command: text });
          set({ tasks: mergeTasks(get().tasks, [task]), running: false });
          return task;
        } catch (e) {
          set({ running: false, error: describeError(e) });
          return null;
        }
      },

      async decide(taskId, approve, remember) {
        const task = get().tasks.find((t) => t.id === taskId);
        if (!task) return;
        // The approval is bound to the exact text this phone showed: if the hub's task differs, it refuses.
        await busy(taskId, async () => {
          const params = { task: taskId, approve, command: task.command, ...(approve && remember ? { remember } : {}) };
          return (await hub.call("tasks.approve", params)).task;
        });
      },

      async cancel(taskId) {
        await busy(taskId, async () => (await hub.call("tasks.cancel", { task: taskId })).task);
      },

      escalate(taskId) {
        // The new task (state awaiting_approval) is merged in beside the one the sandbox stopped.
        return busy(taskId, async () => (await hub.call("tasks.escalate", { task: taskId })).task);
      },

      upsert(incoming) {
        set({ tasks: mergeTasks(get().tasks, incoming) });
      },

      handlePush(push) {
        if (push.t !== "task.updated") return;
        const parsed = taskUpdatedSchema.safeParse(push.d);
        if (parsed.success) set({ tasks: mergeTasks(get().tasks, [parsed.data.task]) });
      },
    };
  });
}
