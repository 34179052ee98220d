import { useEffect, useMemo } from "react";
import { useStore } from "zustand";
import type { HubCaller } from "../../connection/hub-link";
import { createFavoritesStore } from "../../stores/favorites-store";

interface Props {
  hub: HubCaller;
  /** What the command and folder fields hold now: "Save" saves that. */
  command: string;
  cwd: string;
  /** Runs a command as a task (the risk policy and approvals apply as to any). */
  onRun(command: string, cwd?: string): void;
  /** Changes when a task was started, so the history is refetched. */
  version: unknown;
  /** Why nothing can be sent now (offline, unpaired), or null. */
  blocker: string | null;
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/**
 * One-tap work: the hub's saved commands (each runs with one tap) and the
 * commands run before, with "Run again" and "Save". Both live on the hub,
 * so every phone of the user has the same ones.
 */
export function SavedCommands({ hub, command, cwd, onRun, version, blocker }: Props) {
  const store = useMemo(() => createFavoritesStore(hub), [hub]);
  const s = useStore(store);
  useEffect(() => {
    if (blocker === null) void store.getState().refresh();
  }, [store, version, blocker]);
  const canSave = command.trim() !== "" && !s.isSaved(command, cwd);
  return (
    <section className="saved-commands" aria-label="Saved commands">
      <div className="row saved-head">
        <h2>Saved commands</h2>
        <button
          type="button"
          className="save-command"
          disabled={!canSave || blocker !== null}
          onClick={() => void store.getState().save(command, cwd)}
        >
          {command.trim() !== "" && !canSave ? "★ Saved" : "☆ Save this command"}
        </button>
      </div>
      {s.error && (
        <p className="error" role="alert">
          {s.error}
        </p>
      )}
      {s.favorites.length === 0 ? (
        <p className="muted saved-empty">
          Type a command above and save it: it then runs with one tap, from any of your phones.
        </p>
      ) : (
        <ul className="favorites" aria-label="Saved commands">
          {s.favorites.map((f) => (
            <li key={f.id} className="favorite row" data-favorite={f.id}>
              <button
                type="button"
                className="run-favorite"
                disabled={blocker !== null}
                onClick={() => onRun(f.command, f.cwd)}
                aria-label={`Run ${f.label ?? f.command}${f.cwd ? ` in ${f.cwd}` : ""}`}
              >
                <span className="run-icon">▶</span>
                <span className="favorite-text">
                  <code>{f.label ?? f.command}</code>
                  {f.cwd && <span className="muted favorite-cwd"> in {f.cwd}</span>}
                </span>
              </button>
              <button
                type="button"
                className="remove-favorite"
                aria-label={`Remove ${f.label ?? f.command} from saved commands`}
                onClick={() => void store.getState().remove(f.id)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {s.history.length > 0 && (
        <details className="history">
          <summary>Recent commands ({s.history.length})</summary>
          <ul aria-label="Recent commands">
            {s.history.map((h) => (
              <li key={h.id} className="history-item" data-history={h.id}>
                <code className="history-command">{h.command}</code>
                <span className="muted history-meta">
                  {h.cwd ? `in ${h.cwd} · ` : ""}
                  {h.runs === 1 ? "once" : `${h.runs} times`} · last {timeFormat.format(h.last_run_at)}
                </span>
                <span className="row history-actions">
                  <button type="button" disabled={blocker !== null} onClick={() => onRun(h.command, h.cwd)}>
                    Run again
                  </button>
                  {!s.isSaved(h.command, h.cwd) && (
                    <button type="button" onClick={() => void store.getState().save(h.command, h.cwd)}>
                      ☆ Save
                    </button>
                  )}
                  <button
                    type="button"
                    className="reject"
                    aria-label={`Forget ${h.command}`}
                    onClick={() => void store.getState().forget(h.id)}
                  >
                    Forget
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
