import { useEffect, useState } from "react";
import type { MethodResult } from "@neural-link/shared/app";
import type { HubCaller } from "../../connection/hub-link";
import { MOBILE_SETTINGS } from "../../settings";
import { describeError } from "../../stores/errors";

type Shell = MethodResult<"term.list">["terms"][number];

interface Props {
  hub: HubCaller;
  /** The shell shown now, if any. */
  current: string | null;
  /** Changes whenever the list may have changed (a shell opened, closed or exited; its output paused). */
  version: unknown;
  onShow(term: string): void;
  /** Called after `term.close` for the shell shown now. */
  onClosedCurrent(): void;
  /** Asks for another shell; absent while one cannot be asked for (offline, a request pending). */
  onNew?: () => void;
}

/** What a shell is doing, in words: the program in its foreground (from the hub), or that it ended. */
export function shellWords(s: Shell): string {
  if (!s.open) return "ended";
  return s.command ? s.command : "open";
}

/**
 * This phone's shells on the desktop (`term.list`), as a row of tabs: each
 * names the program running in it now and whether it ended; one tap shows
 * it, × closes it on the desktop, + asks for another. Refreshed when `version`
 * changes (the screen bumps it when the shell's output pauses), so a tab says
 * "sleep" while `sleep` runs and "bash" once it is done.
 */
export function TerminalTabs({ hub, current, version, onShow, onClosedCurrent, onNew }: Props) {
  const [shells, setShells] = useState<Shell[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    hub.call("term.list", {}).then(
      (r) => live && (setShells(r.terms), setError(null)),
      (e: unknown) => live && setError(describeError(e)),
    );
    const timer = setTimeout(() => setTick((t) => t + 1), MOBILE_SETTINGS.terminalListIdleRefreshMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [hub, version, tick]);

  const close = async (term: string) => {
    try {
      await hub.call("term.close", { term });
      if (term === current) onClosedCurrent();
    } catch (e) {
      setError(describeError(e));
    }
    setTick((t) => t + 1);
  };

  // With no shells listed, a failed listing has nothing to qualify: the screen's status line speaks for the
  // terminal (a phone without the terminal capability would otherwise read its refusal twice).
  if (shells.length === 0) return null;
  return (
    <nav className="terminal-tabs" aria-label="Your shells on the desktop">
      {error && <p className="error">{error}</p>}
      <ul className="row">
        {shells.map((s, i) => {
          const shown = s.term === current;
          return (
            <li
              key={s.term}
              className={`terminal-tab${shown ? " shown" : ""}${s.open ? "" : " ended"}`}
              data-term={s.term}
            >
              <button
                type="button"
                className="terminal-tab-show"
                aria-current={shown ? "true" : undefined}
                onClick={() => !shown && onShow(s.term)}
              >
                <span className="terminal-tab-n">{i + 1}</span>{" "}
                <span className="terminal-tab-what">{shellWords(s)}</span>
              </button>
              <button
                type="button"
                className="terminal-tab-close"
                aria-label={`Close shell ${i + 1} (${shellWords(s)})`}
                onClick={() => void close(s.term)}
              >
                ×
              </button>
            </li>
          );
        })}
        {onNew && (
          <li>
            <button type="button" className="terminal-tab-new" aria-label="Open another shell" onClick={onNew}>
              +
            </button>
          </li>
        )}
      </ul>
    </nav>
  );
}
