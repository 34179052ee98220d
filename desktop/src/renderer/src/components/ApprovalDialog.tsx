import { useTasks } from "../stores/tasks-store";
import { Dialog } from "./Dialog";

/** The oldest task waiting for approval: exact command, who asked, and why it is risky. */
export function ApprovalDialog() {
  const task = useTasks((s) => s.approvals[0]);
  const decide = useTasks((s) => s.decide);
  if (!task) return null;
  return (
    <Dialog key={task.id} title="Approve this command?" initialFocus="approval-reject" role="alertdialog">
      <p>
        Requested by <strong>{task.requester_name}</strong>
        {task.cwd ? (
          <>
            {" "}
            in <code>{task.cwd}</code>
          </>
        ) : null}
        . Risk: <strong>{task.risk}</strong>
      </p>
      <pre className="command" aria-label="Command">
        {task.command}
      </pre>
      {task.risk_reasons.length > 0 && (
        <ul aria-label="Risk reasons">
          {task.risk_reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button id="approval-reject" type="button" onClick={() => void decide(task.id, false)}>
          Reject
        </button>
        <button type="button" className="danger" onClick={() => void decide(task.id, true)}>
          Approve and run
        </button>
      </div>
    </Dialog>
  );
}
