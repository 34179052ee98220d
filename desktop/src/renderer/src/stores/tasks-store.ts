import { create } from "zustand";
import type { ApprovalRemember, Task } from "../../../hub/api";
import { hub } from "../hub-ref";
import { report } from "./ui-store";

/** Tasks listed at most. */
export const TASK_LIST_LIMIT = 200;
/**
 * How often the output of the running task on screen is refetched. The hub
 * pushes state changes, not every chunk; it stores output in batches.
 */
export const TASK_OUTPUT_POLL_MS = 1000;

interface TasksState {
  tasks: Task[];
  /** Tasks waiting for this desktop's decision, oldest first; the dialog shows the first. */
  approvals: Task[];
  selected: string | null;
  load(): Promise<void>;
  run(command: string): Promise<boolean>;
  /** Approve (once, or this exact command for this device until midnight) or reject. */
  decide(task: string, approve: boolean, remember?: ApprovalRemember): Promise<void>;
  /** Stops a running task or withdraws one awaiting approval. */
  cancel(task: string): Promise<void>;
  /** Re-runs a task the sandbox blocked, with full rights: a new high-risk task that asks first. */
  escalate(task: string): Promise<void>;
  select(task: string | null): void;
  refresh(task: string): Promise<void>;
  onTask(t: Task): void;
  onApprovalRequest(t: Task): void;
}

export const useTasks = create<TasksState>()((set, get) => ({
  tasks: [],
  approvals: [],
  selected: null,
  load: async () => {
    try {
      const tasks = await hub().listTasks({ limit: TASK_LIST_LIMIT });
      set({ tasks, approvals: tasks.filter((t) => t.state === "awaiting_approval").reverse() });
    } catch (err) {
      report(err);
    }
  },
  run: async (command) => {
    try {
      const t = await hub().runTask({ command });
      get().onTask(t);
      set({ selected: t.id });
      return true;
    } catch (err) {
      report(err);
      return false;
    }
  },
  decide: async (task, approve, remember) => {
    set((s) => ({ approvals: s.approvals.filter((t) => t.id !== task) }));
    try {
      get().onTask(await hub().approveTask({ task, approve, ...(approve && remember ? { remember } : {}) }));
    } catch (err) {
      report(err);
    }
  },
  cancel: async (task) => {
    try {
      get().onTask(await hub().cancelTask({ task }));
    } catch (err) {
      report(err);
    }
  },
  escalate: async (task) => {
    try {
      const t = await hub().escalateTask({ task });
      get().onTask(t);
      set({ selected: t.id });
    } catch (err) {
      report(err);
    }
  },
  select: (selected) => set({ selected }),
  refresh: async (task) => {
    try {
      get().onTask(await hub().getTask({ task }));
    } catch (err) {
      report(err);
    }
  },
  onTask: (t) =>
    set((s) => {
      const has = s.tasks.some((x) => x.id === t.id);
      const tasks = has ? s.tasks.map((x) => (x.id === t.id ? t : x)) : [t, ...s.tasks];
      const approvals = t.state === "awaiting_approval" ? s.approvals : s.approvals.filter((x) => x.id !== t.id);
      return { tasks, approvals };
    }),
  onApprovalRequest: (t) =>
    set((s) => (s.approvals.some((x) => x.id === t.id) ? s : { approvals: [...s.approvals, t] })),
}));
