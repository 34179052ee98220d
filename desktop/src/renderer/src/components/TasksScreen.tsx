import { useEffect, useState, type FormEvent } from "react";
import { useTasks } from "../stores/tasks-store";
import { endReasonText, STATE_LABELS } from "../task-words";
import { RiskPreview } from "./RiskPreview";
import { SandboxStatus } from "./SandboxStatus";
import { SavedCommands } from "./SavedCommands";
import { RiskBadge, SandboxBadge } from "./TaskBadges";
import { TaskDetail } from "./TaskDetail";

export function TasksScreen() {
  const { tasks, selected, run, select } = useTasks();
  const [command, setCommand] = useState("");
  useEffect(() => {
    void useTasks.getState().load();
  }, []);
  const current = tasks.find((t) => t.id === selected) ?? tasks[0];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (command.trim() !== "" && (await run(command.trim()))) setCommand("");
  };

  return (
    <section aria-labelledby="tasks-h" className="tasks-screen">
      <h1 id="tasks-h">Tasks</h1>
      <SandboxStatus />
      <form onSubmit={(e) => void submit(e)} className="composer">
        <label htmlFor="task-command">Run a command on this desktop</label>
        <input id="task-command" value={command} onChange={(e) => setCommand(e.target.value)} spellCheck={false} />
        <button type="submit" className="primary">
          Run
        </button>
      </form>
      <RiskPreview command={command} />
      <SavedCommands command={command} />
      {tasks.length === 0 ? (
        <p className="muted">No tasks yet.</p>
      ) : (
        <div className="tasks-body">
          <ul className="task-list" aria-label="Tasks">
            {tasks.map((t) => (
              <li key={t.id}>
                <button
                  type="button"
                  aria-current={t.id === current?.id ? "true" : undefined}
                  onClick={() => select(t.id)}
                >
                  <code>{t.command}</code>
                  <span className="task-row-meta">
                    <span className={`state state-${t.state}`}>{endReasonText(t) ?? STATE_LABELS[t.state]}</span>
                    <RiskBadge risk={t.risk} />
                    <SandboxBadge task={t} />
                  </span>
                  <span className="muted">
                    {t.requester_name} · {new Date(t.started_at ?? t.created_at).toLocaleTimeString()}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {current && <TaskDetail task={current} />}
        </div>
      )}
    </section>
  );
}
