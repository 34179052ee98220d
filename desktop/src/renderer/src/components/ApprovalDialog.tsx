import { ReasonText } from "@neural-link/ui";
import { useTasks } from "../stores/tasks-store";
import { useUi } from "../stores/ui-store";
import { countdownText } from "../task-words";
import { useNow } from "../use-now";
import { Dialog } from "./Dialog";
import { RiskBadge } from "./TaskBadges";

/**
 * The oldest task waiting for this desktop: the exact command and folder,
 * the device that asked, why it is risky, how long the approval stays open,
 * and the three answers. A terminal request says plainly that it is full
 * access (the risk policy and the sandbox do not apply inside a terminal).
 */
export function ApprovalDialog() {
  const task = useTasks((s) => s.approvals[0]);
  const decide = useTasks((s) => s.decide);
  const expiresAt = task?.approval_expires_at;
  const now = useNow(expiresAt !== undefined);
  // No answer can reach the hub while the link is down: say so instead of failing later.
  const offline = useUi((s) => s.disconnected);
  if (!task) return null;
  const terminal = task.kind === "terminal";
  const expired = expiresAt !== undefined && expiresAt <= now;
  return (
    <Dialog
      key={task.id}
      title={terminal ? "Open a terminal for this device?" : "Approve this command?"}
      initialFocus="approval-reject"
      role="alertdialog"
    >
      <dl className="approval-facts">
        <dt>Asked by</dt>
        <dd>
          <strong>{task.requester_name}</strong>
        </dd>
        <dt>Folder</dt>
        <dd>
          {task.cwd ? (
            <code aria-label="Working directory">{task.cwd}</code>
          ) : (
            "the hub's default folder (the home folder)"
          )}
        </dd>
        <dt>Risk</dt>
        <dd>
          <RiskBadge risk={task.risk} />
        </dd>
        {expiresAt !== undefined && (
          <>
            <dt>Expires</dt>
            <dd data-testid="approval-countdown" aria-live="off">
              {expired ? "expired: this request can no longer run" : `in ${countdownText(expiresAt, now)}`}
            </dd>
          </>
        )}
      </dl>
      {terminal && (
        <p role="note" className="terminal-warning">
          A terminal gives full access to this desktop: the risk policy and the sandbox do not apply to anything typed
          in it.
        </p>
      )}
      {task.escalated_from !== undefined && (
        <p role="note" className="warn">
          This runs again a command the sandbox stopped, now without the sandbox: with your full rights, network
          included.
        </p>
      )}
      <pre className="command" aria-label="Command">
        {task.command}
      </pre>
      {task.risk_reasons.length > 0 && (
        <ul aria-label="Risk reasons">
          {task.risk_reasons.map((r) => (
            <li key={r}>
              <ReasonText reason={r} />
            </li>
          ))}
        </ul>
      )}
      {offline !== null && (
        <p role="status" className="warn">
          Not connected to the hub, so no answer can be sent yet: {offline}
        </p>
      )}
      <div className="actions">
        <button
          id="approval-reject"
          type="button"
          disabled={offline !== null}
          onClick={() => void decide(task.id, false)}
        >
          Reject
        </button>
        <button
          type="button"
          className="danger"
          disabled={expired || offline !== null}
          onClick={() => void decide(task.id, true, "once")}
        >
          Approve once
        </button>
        {!terminal && (
          <button
            type="button"
            className="danger"
            disabled={expired || offline !== null}
            title="Also run this exact command, in this folder, for this device, without asking, until midnight"
            onClick={() => void decide(task.id, true, "today")}
          >
            Approve for today
          </button>
        )}
      </div>
    </Dialog>
  );
}
