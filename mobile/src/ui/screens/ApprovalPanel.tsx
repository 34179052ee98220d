import type { Task } from "@neural-link/shared/app";
import type { Remember } from "../../stores/tasks-store";
import { expiryWords, whoIs } from "../../tasks/task-words";

interface Props {
  task: Task;
  me: string;
  now: number;
  deciding: boolean;
  /** Why the phone cannot answer now (offline, unpaired), or null. */
  blocker: string | null;
  onDecide(approve: boolean, remember?: Remember): void;
}

/**
 * The question put to this phone: the exact command and where it runs, who
 * asked, why it needs approval, how long the question stays open, and the
 * three answers. Disabled, with the reason, while the answer cannot reach the desktop.
 */
export function ApprovalPanel({ task, me, now, deciding, blocker, onDecide }: Props) {
  const expiry = expiryWords(task, now);
  const disabled = deciding || blocker !== null || expiry?.expired === true;
  const terminal = task.kind === "terminal";
  const asker = whoIs(task.requested_by, task.requested_by_name, me);
  return (
    <div className="approval" role="group" aria-label={terminal ? "Open this terminal?" : "Approve this command?"}>
      {terminal ? (
        <p>
          A terminal gives <strong>full access</strong> to the desktop: everything typed in it runs with your rights,
          outside the sandbox and the risk policy. It opens only if you approve.
        </p>
      ) : (
        <p>This command runs only if you approve it. It will run exactly as shown, with your full rights:</p>
      )}
      <pre className="exact-command">{task.command}</pre>
      <dl className="approval-facts">
        <dt>In folder</dt>
        <dd>
          <code>{task.cwd ?? "the desktop's default folder"}</code>
        </dd>
        <dt>Asked by</dt>
        <dd>{asker === "you" ? "this phone" : asker}</dd>
      </dl>
      {expiry && (
        <p className={expiry.expired ? "error" : "expiry"} data-testid="approval-expiry">
          {expiry.text}
        </p>
      )}
      <div className="row approval-buttons">
        <button type="button" className="approve" disabled={disabled} onClick={() => onDecide(true, "once")}>
          Approve once
        </button>
        {!terminal && (
          <button type="button" className="approve-today" disabled={disabled} onClick={() => onDecide(true, "today")}>
            Approve for today
          </button>
        )}
        <button type="button" className="reject" disabled={disabled} onClick={() => onDecide(false)}>
          Reject
        </button>
      </div>
      {blocker && (
        <p className="muted blocker" role="note">
          {blocker}
        </p>
      )}
    </div>
  );
}
