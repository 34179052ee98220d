import { type FormEvent, useState } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import type { TasksState } from "../../stores/tasks-store";
import { useAppStores } from "../app-context";
import { NoDesktop } from "./NoDesktop";
import { TaskCard } from "./TaskCard";

/** Run commands on the desktop, approve risky ones, and look back at past tasks. */
export function TasksScreen() {
  const session = useStore(useAppStores().app, (s) => s.session);
  if (!session) return <NoDesktop />;
  return <Tasks tasks={session.tasks} />;
}

function Tasks({ tasks }: { tasks: StoreApi<TasksState> }) {
  const state = useStore(tasks);
  const [command, setCommand] = useState("");
  const run = async (e: FormEvent) => {
    e.preventDefault();
    if (await tasks.getState().run(command)) setCommand("");
  };
  return (
    <div className="tasks">
      <form className="row" onSubmit={run}>
        <label className="visually-hidden" htmlFor="task-command">
          Command to run on the desktop
        </label>
        <input
          id="task-command"
          type="text"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          placeholder="Command to run on the desktop"
          value={command}
          onChange={(e) => setCommand(e.target.value)}
        />
        <button type="submit" disabled={state.running || command.trim() === ""}>
          {state.running ? "Starting…" : "Run"}
        </button>
      </form>
      {state.error && (
        <p role="alert" className="error">
          {state.error}
        </p>
      )}
      <section className="task-list" aria-label="Tasks" aria-live="polite">
        {state.tasks.length === 0 && !state.loading && <p className="muted">No tasks yet.</p>}
        {state.tasks.map((t) => (
          <TaskCard key={t.id} task={t} deciding={state.deciding.includes(t.id)} onDecide={(approve) => void tasks.getState().decide(t.id, approve)} />
        ))}
      </section>
      {state.hasOlder && state.tasks.length > 0 && (
        <button type="button" onClick={() => void tasks.getState().loadOlder()} disabled={state.loading}>
          {state.loading ? "Loading…" : "Show older tasks"}
        </button>
      )}
    </div>
  );
}
