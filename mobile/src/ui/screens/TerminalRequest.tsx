import { useStore } from "zustand";
import type { Task } from "@neural-link/shared/app";
import type { Session } from "../../stores/session";
import { waitsForPhone } from "../../tasks/task-words";
import { useNow } from "../use-link";
import { ApprovalPanel } from "./ApprovalPanel";

interface Props {
  session: Session;
  /** The request as the terminal last saw it; the tasks store's copy wins when fresher. */
  task: Task;
  me: string;
  blocker: string | null;
  onWithdraw(): void;
}

/**
 * A new shell waiting for approval: where it waits, the approval buttons when this phone may answer, and a way to
 * withdraw.
 */
export function TerminalRequest({ session, task: seen, me, blocker, onWithdraw }: Props) {
  const stored = useStore(session.tasks, (s) => s.tasks.find((t) => t.id === seen.id));
  const deciding = useStore(session.tasks, (s) => s.deciding.includes(seen.id));
  const task = stored ?? seen;
  const now = useNow(true);
  return (
    <div className="terminal-request" data-testid="terminal-request">
      {waitsForPhone(task) ? (
        <ApprovalPanel
          task={task}
          me={me}
          now={now}
          deciding={deciding}
          blocker={blocker}
          onDecide={(approve) => void session.tasks.getState().decide(task.id, approve)}
        />
      ) : (
        <p>
          A terminal gives <strong>full access</strong> to the desktop, so it opens only once approved on the desktop.
          This screen opens it as soon as that happens.
        </p>
      )}
      <button type="button" onClick={onWithdraw} disabled={deciding}>
        Cancel request
      </button>
    </div>
  );
}
