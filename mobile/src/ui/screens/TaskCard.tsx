import type { Task, TaskState } from "@neural-link/shared/app";
import { MOBILE_SETTINGS } from "../../settings";

const STATE_WORDS: Record<TaskState, string> = {
  awaiting_approval: "Waiting for approval",
  running: "Running",
  done: "Done",
  failed: "Failed",
  rejected: "Rejected",
  timed_out: "Timed out",
};

const RISK_WORDS = { low: "Low risk", high: "High risk", forbidden: "Forbidden" } as const;

function tail(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(text.length - max)}`;
}

interface Props {
  task: Task;
  deciding: boolean;
  onDecide(approve: boolean): void;
}

/** One task: its exact command, risk and reasons, state, output, and the approval buttons when it waits for this phone. */
export function TaskCard({ task, deciding, onDecide }: Props) {
  const waitsForPhone = task.state === "awaiting_approval" && (task.awaiting === undefined || task.awaiting.includes("phone"));
  const headingId = `task-${task.id}`;
  return (
    <article className={`task risk-${task.risk}`} aria-labelledby={headingId} data-task={task.id} data-state={task.state}>
      <h3 id={headingId} className="task-command">
        <code>{task.command}</code>
      </h3>
      <p className="task-meta">
        <span className={`badge badge-${task.risk}`}>{RISK_WORDS[task.risk]}</span> <span className="task-state">{STATE_WORDS[task.state]}</span>
        {task.exit_code !== undefined && task.exit_code !== null && <span> · exit code {task.exit_code}</span>}
      </p>
      {task.reasons && task.reasons.length > 0 && (
        <ul className="task-reasons" aria-label="Why this risk">
          {task.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      {waitsForPhone && (
        <div className="approval" role="group" aria-label="Approve this command?">
          <p>This command runs only if you approve it. It will run exactly as shown:</p>
          <pre className="exact-command">{task.command}</pre>
          <div className="row">
            <button type="button" className="approve" disabled={deciding} onClick={() => onDecide(true)}>
              Approve
            </button>
            <button type="button" className="reject" disabled={deciding} onClick={() => onDecide(false)}>
              Reject
            </button>
          </div>
        </div>
      )}
      {task.state === "awaiting_approval" && !waitsForPhone && <p className="muted">Waiting for approval on the desktop.</p>}
      {task.output !== undefined && task.output !== "" && (
        <pre className="task-output" aria-label="Output">
          {tail(task.output, MOBILE_SETTINGS.taskOutputShownChars)}
        </pre>
      )}
    </article>
  );
}
