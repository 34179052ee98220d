import type { Task } from "@neural-link/shared/app";
import { ReasonText } from "@neural-link/ui";
import { MOBILE_SETTINGS } from "../../settings";
import type { Remember } from "../../stores/tasks-store";
import {
  awaitingWords,
  blockedWords,
  cancellable,
  escalatable,
  interruptedByHub,
  sandboxWords,
  stateWords,
  timingWords,
  waitsForPhone,
} from "../../tasks/task-words";
import { ApprovalPanel } from "./ApprovalPanel";

const RISK_WORDS = { low: "Low risk", high: "High risk", forbidden: "Forbidden" } as const;
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

function tail(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(text.length - max)}`;
}

interface Props {
  task: Task;
  me: string;
  now: number;
  deciding: boolean;
  blocker: string | null;
  onDecide(approve: boolean, remember?: Remember): void;
  onCancel(): void;
  onEscalate(): void;
}

/**
 * One task: its exact command, where and how it runs, state and who decided, timing, output, and what this phone can do
 * with it.
 */
export function TaskCard({ task, me, now, deciding, blocker, onDecide, onCancel, onEscalate }: Props) {
  const headingId = `task-${task.id}`;
  const sandbox = sandboxWords(task);
  const timing = timingWords(task, now, (ms) => timeFormat.format(ms));
  const awaiting = awaitingWords(task);
  const interrupted = interruptedByHub(task);
  return (
    <article
      className={`task risk-${task.risk}${interrupted ? " interrupted" : ""}`}
      aria-labelledby={headingId}
      data-task={task.id}
      data-state={task.state}
      data-end-reason={task.end_reason ?? ""}
    >
      <h3 id={headingId} className="task-command">
        {task.kind === "terminal" && <span className="task-kind">Terminal session: </span>}
        <code>{task.command}</code>
      </h3>
      <p className="task-meta">
        <span className={`badge badge-${task.risk}`}>{RISK_WORDS[task.risk]}</span>{" "}
        {sandbox && <span className={`badge badge-${sandbox.kind}`}>{sandbox.label}</span>}{" "}
        <span className="task-state">{awaiting ?? stateWords(task, me)}</span>
        {task.exit_code !== undefined && task.exit_code !== null && <span> · exit code {task.exit_code}</span>}
      </p>
      <p className="task-where muted">
        {task.cwd ? (
          <>
            in <code>{task.cwd}</code>
          </>
        ) : (
          "in the desktop's default folder"
        )}
        {timing && <> · {timing}</>}
      </p>
      {task.reasons && task.reasons.length > 0 && (
        <ul className="task-reasons" aria-label="Why this risk">
          {task.reasons.map((r) => (
            <li key={r}>
              <ReasonText reason={r} />
            </li>
          ))}
        </ul>
      )}
      {waitsForPhone(task) && (
        <ApprovalPanel task={task} me={me} now={now} deciding={deciding} blocker={blocker} onDecide={onDecide} />
      )}
      {task.sandbox?.blocked && (
        <p className="sandbox-blocked" role="note">
          The sandbox stopped it: {blockedWords(task.sandbox.blocked)} Run it without the sandbox to let it, after your
          approval.
        </p>
      )}
      {task.output !== undefined && task.output !== "" && (
        <pre className="task-output" aria-label="Output">
          {tail(task.output, MOBILE_SETTINGS.taskOutputShownChars)}
        </pre>
      )}
      {((cancellable(task) && !waitsForPhone(task)) || escalatable(task)) && (
        <div className="row task-actions">
          {/* A request this phone may answer has Reject already; withdrawing it would be the same tap. */}
          {cancellable(task) && !waitsForPhone(task) && (
            <button type="button" className="cancel" disabled={deciding || blocker !== null} onClick={onCancel}>
              {task.state === "running" ? "Cancel" : "Cancel request"}
            </button>
          )}
          {escalatable(task) && (
            <button type="button" className="escalate" disabled={deciding || blocker !== null} onClick={onEscalate}>
              Run without sandbox
            </button>
          )}
        </div>
      )}
    </article>
  );
}
