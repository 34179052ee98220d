import { createStore, type StoreApi } from "zustand/vanilla";
import { type Task, taskUpdatedSchema } from "@neural-link/shared/app";
import type { HubCaller, Push } from "../connection/hub-link";
import { MOBILE_SETTINGS } from "../settings";
import { describeError } from "./errors";

export interface TasksState {
  /** Newest first. */
  tasks: Task[];
  hasOlder: boolean;
  loading: boolean;
  running: boolean;
  /** Task ids with an approve/reject call in flight, so the buttons cannot be pressed twice. */
  deciding: string[];
  error: string | null;
  refresh(): Promise<void>;
  loadOlder(): Promise<void>;
  run(command: string, cwd?: string): Promise<Task | null>;
  decide(taskId: string, approve: boolean): Promise<void>;
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

/** Tasks on the hub: run, approve or reject with the exact command shown, live `task.updated` pushes, history. */
export function createTasksStore(hub: HubCaller, pageSize: number = MOBILE_SETTINGS.taskPageSize): StoreApi<TasksState> {
  return createStore<TasksState>((set, get) => ({
    tasks: [],
    hasOlder: true,
    loading: false,
    running: false,
    deciding: [],
    error: null,

    async refresh() {
      set({ loading: true, error: null });
      try {
        const { tasks } = await hub.call("tasks.list", { limit: pageSize });
        set({ tasks: mergeTasks(get().tasks, tasks), hasOlder: tasks.length === pageSize, loading: false });
      } catch (e) {
        set({ loading: false, error: describeError(e) });
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
      if (text === "" || get().running) return null;
      set({ running: true, error: null });
      try {
        const { task } = await hub.call("tasks.run", cwd ? { command: text, cwd } : { command: text });
        set({ tasks: mergeTasks(get().tasks, [task]), running: false });
        return task;
      } catch (e) {
        set({ running: false, error: describeError(e) });
        return null;
      }
    },

    async decide(taskId, approve) {
      const task = get().tasks.find((t) => t.id === taskId);
      if (!task || get().deciding.includes(taskId)) return;
      set({ deciding: [...get().deciding, taskId], error: null });
      try {
        // The approval is bound to the exact text this phone showed: if the hub's task differs, it refuses.
        const { task: updated } = await hub.call("tasks.approve", { task: taskId, approve, command: task.command });
        set({ tasks: mergeTasks(get().tasks, [updated]) });
      } catch (e) {
        set({ error: describeError(e) });
      } finally {
        set({ deciding: get().deciding.filter((id) => id !== taskId) });
      }
    },

    handlePush(push) {
      if (push.t !== "task.updated") return;
      const parsed = taskUpdatedSchema.safeParse(push.d);
      if (parsed.success) set({ tasks: mergeTasks(get().tasks, [parsed.data.task]) });
    },
  }));
}
