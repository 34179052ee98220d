import type { Favorite, HistoryEntry } from "@neural-link/shared/app";
import { useCallback, useEffect, useState } from "react";
import { hub } from "../hub-ref";
import { useTasks } from "../stores/tasks-store";
import { report } from "../stores/ui-store";

/** How many past commands the desktop lists (the hub keeps more: favorites.historyKeep). */
const HISTORY_SHOWN = 30;

const sameCwd = (a?: string, b?: string) => (a || undefined) === (b || undefined);

/**
 * The hub's saved commands and history, the same ones the phones show
 * (docs/protocol.md section 11, "Saved commands and history"): run one with
 * a click (an ordinary task: the risk policy applies), save what is typed,
 * re-run or forget a past command.
 */
export function SavedCommands({ command }: { command: string }) {
  const [favorites, setFavorites] = useState<Favorite[]>([]);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const tasks = useTasks((s) => s.tasks);
  const refresh = useCallback(async () => {
    try {
      const [f, h] = await Promise.all([hub().listFavorites(), hub().listCommandHistory({ limit: HISTORY_SHOWN })]);
      setFavorites(f);
      setHistory(h);
    } catch (err) {
      report(err);
    }
  }, []);
  // A new task may be a new history entry (from here or from a phone).
  useEffect(() => void refresh(), [refresh, tasks.length]);
  const act = (fn: () => Promise<unknown>) => () => void fn().then(refresh, report);
  const run = (c: string, cwd?: string) =>
    act(async () => (await hub().runTask({ command: c, ...(cwd ? { cwd } : {}) }), await useTasks.getState().load()));
  const typed = command.trim();
  const saved = (c: string, cwd?: string) => favorites.some((f) => f.command === c && sameCwd(f.cwd, cwd));
  return (
    <section aria-labelledby="saved-h" className="saved-commands">
      <h2 id="saved-h">Saved commands</h2>
      {typed !== "" && !saved(typed) && (
        <button type="button" onClick={act(() => hub().saveFavorite({ command: typed }))}>
          Save “{typed}”
        </button>
      )}
      {favorites.length === 0 ? (
        <p className="muted">None yet. Saved commands appear on your phones too.</p>
      ) : (
        <ul aria-label="Saved commands">
          {favorites.map((f) => (
            <li key={f.id}>
              <button
                type="button"
                className="primary"
                onClick={run(f.command, f.cwd)}
                aria-label={`Run ${f.label ?? f.command}`}
              >
                Run
              </button>{" "}
              <code title={f.command}>{f.label ?? f.command}</code>
              {f.label && <span className="muted"> ({f.command})</span>}
              {f.cwd && <span className="muted"> in {f.cwd}</span>}{" "}
              <button
                type="button"
                onClick={act(() => hub().removeFavorite({ id: f.id }))}
                aria-label={`Remove ${f.label ?? f.command}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {history.length > 0 && (
        <details>
          <summary>Recent commands ({history.length})</summary>
          <ul aria-label="Recent commands">
            {history.map((h) => (
              <li key={h.id}>
                <code>{h.command}</code>
                <span className="muted">
                  {h.cwd ? ` in ${h.cwd}` : ""} · {h.runs === 1 ? "once" : `${h.runs} times`} ·{" "}
                  {new Date(h.last_run_at).toLocaleString()}
                </span>{" "}
                <button type="button" onClick={run(h.command, h.cwd)}>
                  Run again
                </button>
                {!saved(h.command, h.cwd) && (
                  <button
                    type="button"
                    onClick={act(() => hub().saveFavorite({ command: h.command, ...(h.cwd ? { cwd: h.cwd } : {}) }))}
                  >
                    Save
                  </button>
                )}
                <button type="button" onClick={act(() => hub().forgetCommandHistory({ id: h.id }))}>
                  Forget
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
