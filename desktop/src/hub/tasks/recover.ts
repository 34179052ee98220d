import type { Logger } from "pino";
import { approvalExpired } from "./approvals";
import type { AuditRepo, TaskRecord, TaskRepo } from "./ports";

/** Appended to the output of a task the hub lost track of. */
export const INTERRUPTED_NOTE =
  "\n[neural-link: the hub stopped while this task was running; its outcome is unknown]\n";

export interface RecoverDeps {
  tasks: TaskRepo;
  audit: AuditRepo;
  now: () => number;
  log: Logger;
  pageSize: number;
  /** The approval time, for tasks stored before approvals expired. */
  approvalTtlMs: number;
  /** Tasks this process itself runs or waits on: never touched. */
  ownedHere(id: string): boolean;
  /** Called with each task settled here, so its device hears of it (`task.updated`). */
  settled(task: TaskRecord): void;
  /** Called with each task still awaiting an approval that has not expired. */
  waiting(task: TaskRecord): void;
}

/**
 * Settles what a previous hub process left behind: a task still "running" cannot be
 * followed any more (its pty died with the process), so it becomes "failed" with
 * end_reason "hub_interrupted" and a note; a task whose approval expired meanwhile
 * becomes "rejected" ("approval_expired"); one still within its approval time keeps
 * waiting. Every settled task is handed to `settled`, so the phone that asked stops
 * showing it as running. Returns how many were settled.
 */
export async function recoverInterruptedTasks(deps: RecoverDeps): Promise<number> {
  let before: string | undefined;
  let settled = 0;
  for (;;) {
    const page = await deps.tasks.list({ limit: deps.pageSize, before });
    for (const t of page) {
      if (deps.ownedHere(t.id)) continue;
      if (t.state === "running") {
        await deps.tasks.appendOutput(t.id, INTERRUPTED_NOTE);
        const failed = await deps.tasks.setState(t.id, "failed", { endedAt: deps.now(), endReason: "hub_interrupted" });
        await deps.audit.append({
          actor: "hub",
          action: "task.interrupted",
          subject: t.id,
          detail: { previousState: "running", kind: t.kind },
        });
        deps.settled(failed);
        settled++;
      } else if (t.state === "awaiting_approval") {
        if (approvalExpired(t, deps.now(), deps.approvalTtlMs)) {
          const rejected = await deps.tasks.setState(t.id, "rejected", {
            endedAt: deps.now(),
            endReason: "approval_expired",
            endedBy: "hub",
          });
          await deps.audit.append({
            actor: "hub",
            action: "task.approval_expired",
            subject: t.id,
            detail: { expiredAt: t.approvalExpiresAt },
          });
          deps.settled(rejected);
          settled++;
        } else {
          deps.waiting(t);
        }
      }
    }
    // Stop on an empty page rather than a short one: the store may clamp the page size.
    if (page.length === 0) break;
    before = page[page.length - 1]!.id;
  }
  if (settled > 0) deps.log.warn({ settled }, "tasks left by an earlier hub process settled");
  return settled;
}
