import { z } from "zod";

export const RISKS = ["low", "high", "forbidden"] as const;
export type Risk = (typeof RISKS)[number];
export const TASK_STATES = ["awaiting_approval", "running", "done", "failed", "rejected", "timed_out"] as const;
export type TaskState = (typeof TASK_STATES)[number];
/** States a task never leaves. */
export const FINAL_TASK_STATES: ReadonlySet<TaskState> = new Set(["done", "failed", "rejected", "timed_out"]);

/** A task as it travels (PROTOCOL.md section 11); the optional extras are documented in docs/protocol.md. */
export const taskSchema = z.object({
  id: z.string(),
  command: z.string(),
  risk: z.enum(RISKS),
  state: z.enum(TASK_STATES),
  exit_code: z.number().int().nullable().optional(),
  output: z.string().optional(),
  started_at: z.number().int().nullable().optional(),
  ended_at: z.number().int().nullable().optional(),
  /** Why the policy classed it so, in words. */
  reasons: z.array(z.string()).optional(),
  created_at: z.number().int().optional(),
  requested_by: z.string().optional(),
  /** Approvers still awaited: "desktop" and/or "phone". */
  awaiting: z.array(z.enum(["desktop", "phone"])).optional(),
  cwd: z.string().nullable().optional(),
});
export type Task = z.infer<typeof taskSchema>;
