import type { Logger } from "pino";
import type { AuditRepo, TaskRepo } from "./ports";

/** Appended to the output of a task the hub lost track of. */
export const INTERRUPTED_NOTE = "\n[neural-link: the hub stopped while this task was running; its outcome is unknown]\n";

/**
 * Settles what a previous hub process left behind: a task still "running" cannot be
 * followed any more (its pty died with the process), so it becomes "failed" with a
 * note; a task "awaiting_approval" simply keeps waiting. Returns how many were failed.
 */
export async function recoverInterruptedTasks(deps: { tasks: TaskRepo; audit: AuditRepo; now: () => number; log: Logger; pageSize: number }): Promise<number> {
  let before: string | undefined;
  let failed = 0;
  for (;;) {
    const page = await deps.tasks.list({ limit: deps.pageSize, before });
    for (const t of page) {
      if (t.state !== "running") continue;
      await deps.tasks.appendOutput(t.id, INTERRUPTED_NOTE);
      await deps.tasks.setState(t.id, "failed", { endedAt: deps.now() });
      await deps.audit.append({ actor: "hub", action: "task.interrupted", subject: t.id, detail: { previousState: "running" } });
      failed++;
    }
    // Stop on an empty page rather than a short one: the store may clamp the page size.
    if (page.length === 0) break;
    before = page[page.length - 1].id;
  }
  if (failed > 0) deps.log.warn({ failed }, "tasks interrupted by a hub restart marked failed");
  return failed;
}
