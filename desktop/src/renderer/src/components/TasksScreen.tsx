import { useEffect, useState, type FormEvent } from "react";
import type { Task } from "../../../preload/api-types";
import { TASK_OUTPUT_POLL_MS, useTasks } from "../stores/tasks-store";

const STATE_LABELS: Record<Task["state"], string> = {
  awaiting_approval: "waiting for approval",
  running: "running",
  done: "done",
  failed: "failed",
  rejected: "rejected",
  timed_out: "timed out",
};

function useLiveOutput(task: Task): void {
  const refresh = useTasks((s) => s.refresh);
  const running = task.state === "running";
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => void refresh(task.id), TASK_OUTPUT_POLL_MS);
    return () => clearInterval(t);
  }, [running, task.id, refresh]);
}

function TaskDetail({ task }: { task: Task }) {
  useLiveOutput(task);
  return (
    <article className="task-detail" aria-label={`Task ${task.command}`}>
      <pre className="command">{task.command}</pre>
      <p>
        {STATE_LABELS[task.state]}
        {task.exit_code !== undefined ? ` · exit ${task.exit_code}` : ""} · risk {task.risk} · by {task.requester_name}
      </p>
      {task.risk_reasons.length > 0 && <p className="muted">{task.risk_reasons.join("; ")}</p>}
      <pre className="output" aria-label="Output" aria-live="polite" data-testid="task-output">
        {task.output ?? ""}
      </pre>
    </article>
  );
}

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
    <section aria-labelledby="tasks-h">
      <h1 id="tasks-h">Tasks</h1>
      <form onSubmit={(e) => void submit(e)} className="composer">
        <label htmlFor="task-command">Run a command on this desktop</label>
        <input id="task-command" value={command} onChange={(e) => setCommand(e.target.value)} spellCheck={false} />
        <button type="submit" className="primary">
          Run
        </button>
      </form>
      <div className="tasks-body">
        <ul className="task-list" aria-label="Tasks">
          {tasks.map((t) => (
            <li key={t.id}>
              <button type="button" aria-current={t.id === current?.id ? "true" : undefined} onClick={() => select(t.id)}>
                <code>{t.command}</code>
                <span className={`state state-${t.state}`}>{STATE_LABELS[t.state]}</span>
              </button>
            </li>
          ))}
        </ul>
        {current ? <TaskDetail task={current} /> : <p>No tasks yet.</p>}
      </div>
    </section>
  );
}
