import { type FormEvent, useState } from "react";
import { useStore } from "zustand";
import type { SandboxInfo } from "@neural-link/shared/app";
import { deviceIdOf } from "@neural-link/shared/crypto";
import type { Session } from "../../stores/session";
import { recentCwds } from "../../stores/tasks-store";
import { useAppStores } from "../app-context";
import { useLink, useNow } from "../use-link";
import { NoDesktop } from "./NoDesktop";
import { RiskPreview } from "./RiskPreview";
import { SavedCommands } from "./SavedCommands";
import { TaskCard } from "./TaskCard";

/** Run commands on the desktop, approve risky ones, and look back at past tasks. */
export function TasksScreen() {
  const session = useStore(useAppStores().app, (s) => s.session);
  if (!session) return <NoDesktop />;
  return <Tasks session={session} />;
}

/** The sandbox in force, from `hub.info`: what runs at once, and a plain warning when nothing can. */
function SandboxNote({ sandbox }: { sandbox: SandboxInfo | null }) {
  if (!sandbox) return null;
  if (!sandbox.available) {
    return (
      <p className="sandbox-note sandbox-none" role="note" data-testid="sandbox-note">
        <strong>No sandbox on this desktop: every command asks for approval.</strong> {sandbox.reason}
      </p>
    );
  }
  return (
    <p className="sandbox-note" role="note" data-testid="sandbox-note">
      <strong>Sandbox: {sandbox.kind}.</strong> {sandbox.reason}
    </p>
  );
}

function Tasks({ session }: { session: Session }) {
  const tasks = session.tasks;
  const state = useStore(tasks);
  const identity = useStore(useAppStores().app, (s) => s.identity);
  const me = identity ? deviceIdOf(identity.signPublicKey) : "";
  const { blocker } = useLink(session);
  const live = state.tasks.some((t) => t.state === "running" || t.state === "awaiting_approval");
  const now = useNow(live);
  const [command, setCommand] = useState("");
  const [cwd, setCwd] = useState("");
  const recents = recentCwds(state.tasks);
  const run = async (e: FormEvent) => {
    e.preventDefault();
    if (await tasks.getState().run(command, cwd)) setCommand("");
  };
  return (
    <div className="tasks">
      <SandboxNote sandbox={state.sandbox} />
      <form className="run-form" onSubmit={run}>
        <div className="row">
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
          <button type="submit" disabled={state.running || command.trim() === "" || blocker !== null}>
            {state.running ? "Starting…" : "Run"}
          </button>
        </div>
        <RiskPreview command={command} cwd={cwd} sandbox={state.sandbox} />
        <div className="row cwd-row">
          <label htmlFor="task-cwd">In folder</label>
          <input
            id="task-cwd"
            type="text"
            list="task-cwd-recent"
            autoCapitalize="off"
            autoCorrect="off"
            spellCheck={false}
            placeholder="the desktop's default folder"
            value={cwd}
            onChange={(e) => setCwd(e.target.value)}
          />
          <datalist id="task-cwd-recent">
            {recents.map((d) => (
              <option key={d} value={d} />
            ))}
          </datalist>
        </div>
        {recents.length > 0 && (
          <div className="row recent-cwds" aria-label="Recent folders">
            {recents.map((d) => (
              <button
                key={d}
                type="button"
                className="chip"
                aria-pressed={cwd === d}
                onClick={() => setCwd(cwd === d ? "" : d)}
              >
                {d}
              </button>
            ))}
          </div>
        )}
        {blocker && (
          <p className="muted blocker" role="note" data-testid="run-blocker">
            {blocker}
          </p>
        )}
      </form>
      <SavedCommands
        hub={session.link}
        command={command}
        cwd={cwd}
        blocker={blocker}
        version={state.tasks[0]?.id}
        onRun={(c, d) => void tasks.getState().run(c, d)}
      />
      {state.error && (
        <p role="alert" className="error">
          {state.error}
        </p>
      )}
      <section className="task-list" aria-label="Tasks" aria-live="polite">
        {state.tasks.length === 0 && !state.loading && <p className="muted">No tasks yet.</p>}
        {state.tasks.map((t) => (
          <TaskCard
            key={t.id}
            task={t}
            me={me}
            now={now}
            deciding={state.deciding.includes(t.id)}
            blocker={blocker}
            onDecide={(approve, remember) => void tasks.getState().decide(t.id, approve, remember)}
            onCancel={() => void tasks.getState().cancel(t.id)}
            onEscalate={() => void tasks.getState().escalate(t.id)}
          />
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
