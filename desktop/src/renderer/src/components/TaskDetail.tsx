import { useEffect } from "react";
import { ReasonsInline } from "@neural-link/ui";
import type { Task } from "../../../hub/api";
import { TASK_OUTPUT_POLL_MS, useTasks } from "../stores/tasks-store";
import { useUi } from "../stores/ui-store";
import {
  blockedText,
  canCancel,
  canEscalate,
  countdownText,
  endReasonText,
  STATE_LABELS,
  timingText,
} from "../task-words";
import { useNow } from "../use-now";
import { RiskBadge, SandboxBadge } from "./TaskBadges";

function useLiveOutput(task: Task): void {
  const refresh = useTasks((s) => s.refresh);
  const running = task.state === "running";
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => void refresh(task.id), TASK_OUTPUT_POLL_MS);
    return () => clearInterval(t);
  }, [running, task.id, refresh]);
}

/** Who still has to approve, in words. */
function awaitingText(task: Task): string | null {
  if (task.state !== "awaiting_approval" || !task.awaiting || task.awaiting.length === 0) return null;
  const names = task.awaiting.map((a) => (a === "desktop" ? "this desktop" : "the phone"));
  return `waiting for ${names.join(" and ")} to approve`;
}

/**
 * One task in full: command, folder, state and why it ended, who asked,
 * risk and sandbox, times, output; Cancel while it is live, "Run without
 * sandbox" when the sandbox blocked it. The pane sticks in view while the
 * list scrolls (styles.css `.task-detail`).
 */
export function TaskDetail({ task }: { task: Task }) {
  useLiveOutput(task);
  const { cancel, escalate } = useTasks();
  const offline = useUi((s) => s.disconnected) !== null;
  const live = task.state === "running" || task.state === "awaiting_approval";
  const now = useNow(live);
  const ended = endReasonText(task);
  const timing = timingText(task, now);
  const blocked = blockedText(task);
  const awaiting = awaitingText(task);
  return (
    <article className="task-detail" aria-label={`Task ${task.command}`}>
      <pre className="command">{task.command}</pre>
      <p className="task-meta">
        <span className={`state state-${task.state}`}>{STATE_LABELS[task.state]}</span>
        {ended && <span data-testid="end-reason"> · {ended}</span>}
        {task.exit_code !== undefined && task.end_reason === undefined ? ` · exit ${task.exit_code}` : ""}
      </p>
      <p className="task-badges">
        <RiskBadge risk={task.risk} /> <SandboxBadge task={task} />
        {task.kind === "terminal" && <span className="pill pill-full">terminal</span>}
      </p>
      <dl className="task-facts">
        <dt>Asked by</dt>
        <dd>{task.requester_name}</dd>
        <dt>Folder</dt>
        <dd>{task.cwd ? <code>{task.cwd}</code> : "the hub's default folder (the home folder)"}</dd>
        <dt>Asked at</dt>
        <dd>{new Date(task.created_at).toLocaleString()}</dd>
        {timing && (
          <>
            <dt>Ran</dt>
            <dd data-testid="task-timing">{timing}</dd>
          </>
        )}
        {awaiting && (
          <>
            <dt>Approval</dt>
            <dd>
              {awaiting}
              {task.approval_expires_at !== undefined &&
                ` · expires in ${countdownText(task.approval_expires_at, now)}`}
            </dd>
          </>
        )}
      </dl>
      {task.risk_reasons.length > 0 && (
        <p className="muted">
          <ReasonsInline reasons={task.risk_reasons} />
        </p>
      )}
      {blocked && (
        <p className="warn" role="note">
          {blocked} Running it without the sandbox gives it your full rights, so it asks for approval first.
        </p>
      )}
      <div className="actions">
        {canCancel(task) && (
          <button
            type="button"
            disabled={offline}
            title={offline ? "not connected to the hub" : undefined}
            onClick={() => void cancel(task.id)}
          >
            {task.state === "running" ? "Cancel" : "Withdraw request"}
          </button>
        )}
        {canEscalate(task) && (
          <button
            type="button"
            className="danger"
            disabled={offline}
            title={offline ? "not connected to the hub" : undefined}
            onClick={() => void escalate(task.id)}
          >
            Run without sandbox
          </button>
        )}
      </div>
      <pre className="output" aria-label="Output" aria-live="polite" data-testid="task-output">
        {task.output ?? ""}
      </pre>
    </article>
  );
}
