import { useEffect, useState } from "react";
import type { HubCaller } from "../../connection/hub-link";
import { describeError } from "../../stores/errors";

interface Shell {
  term: string;
  open: boolean;
  cols: number;
  rows: number;
}

interface Props {
  hub: HubCaller;
  /** The shell shown now, if any. */
  current: string | null;
  /** Changes whenever the list may have changed (a shell opened, closed or exited). */
  version: unknown;
  onShow(term: string): void;
  /** Called after `term.close` for the shell shown now. */
  onClosedCurrent(): void;
}

/** This phone's shells on the desktop (`term.list`): show one, or close it so it stops running there. */
export function ShellList({ hub, current, version, onShow, onClosedCurrent }: Props) {
  const [shells, setShells] = useState<Shell[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    hub.call("term.list", {}).then(
      (r) => live && (setShells(r.terms), setError(null)),
      (e: unknown) => live && setError(describeError(e)),
    );
    return () => {
      live = false;
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

  if (shells.length === 0 && !error) return null;
  return (
    <details className="shell-list">
      <summary>
        Your shells on the desktop ({shells.filter((s) => s.open).length} open)
      </summary>
      {error && <p className="error">{error}</p>}
      <ul aria-label="Your shells">
        {shells.map((s, i) => (
          <li key={s.term} className="row shell-item">
            <span className="shell-name">
              Shell {i + 1}
              {s.term === current ? " (shown)" : ""} · {s.open ? `${s.cols}×${s.rows}` : "ended"}
            </span>
            {s.term !== current && s.open && (
              <button type="button" onClick={() => onShow(s.term)}>
                Show
              </button>
            )}
            <button type="button" className="reject" onClick={() => void close(s.term)} aria-label={`Close shell ${i + 1}`}>
              Close
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
