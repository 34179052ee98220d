import { z } from "zod";

export const RISKS = ["low", "high", "forbidden"] as const;
export type Risk = (typeof RISKS)[number];
export const TASK_STATES = ["awaiting_approval", "running", "done", "failed", "rejected", "timed_out"] as const;
export type TaskState = (typeof TASK_STATES)[number];
/** States a task never leaves. */
export const FINAL_TASK_STATES: ReadonlySet<TaskState> = new Set(["done", "failed", "rejected", "timed_out"]);

/** A task as it travels (docs/protocol.md section 11); the optional extras are documented in docs/protocol.md. */
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
  /** "command" (default) or "terminal": a request to open an interactive terminal, approved like a high-risk task. */
  kind: z.string().optional(),
  /** For kind "terminal": the terminal id that opens once approved. */
  term: z.string().optional(),
  /**
   * Why a final task ended, in one word (docs/protocol.md section 11): "exit", "timeout",
   * "rejected", "forbidden", "approval_expired", "cancelled", "hub_stopped",
   * "hub_interrupted", "spawn_failed". A string, not an enum, so that an older client
   * keeps parsing tasks from a newer hub; `state` itself stays within the six states.
   */
  end_reason: z.string().optional(),
  /** Who rejected or cancelled it: a device id or "desktop". */
  ended_by: z.string().optional(),
  /** Display names of `requested_by` and `ended_by`, as the hub knows them. */
  requested_by_name: z.string().optional(),
  ended_by_name: z.string().optional(),
  /**
   * How it ran: in the OS sandbox ("read-only", or "workspace" with granted folders
   * writable), or null when it ran with the user's full rights after approval.
   * `blocked` says the sandbox stopped a write or a network call, so the task may be
   * escalated (`tasks.escalate`).
   */
  sandbox: z.object({ mode: z.string(), blocked: z.string().optional() }).nullable().optional(),
  /** The task this one re-runs without the sandbox (`tasks.escalate`). */
  escalated_from: z.string().optional(),
  /** When an approval still awaited expires (ms); past it the task is rejected. */
  approval_expires_at: z.number().int().optional(),
  /** sha256 (hex) binding an approval to the exact command, cwd and environment. */
  digest: z.string().optional(),
});
export type Task = z.infer<typeof taskSchema>;
