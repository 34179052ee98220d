import { SECTIONS, SECTION_LABELS } from "../sections";
import { useStatus } from "../stores/status-store";
import { useTasks } from "../stores/tasks-store";
import { useUi } from "../stores/ui-store";

export function Nav() {
  const { section, go, toggleHelp, theme, setTheme, disconnected } = useUi();
  const status = useStatus((s) => s.status);
  // What the hub last said about the relay and devices is stale once the hub itself is unreachable.
  const live = disconnected === null ? status : null;
  const waiting = useTasks((s) => s.approvals.length);
  const dark = theme === "dark" || (theme === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  return (
    <nav className="sidebar" aria-label="Sections">
      <p className="brand">{status?.name ?? "Neural Link"}</p>
      <ul>
        {SECTIONS.map((s, i) => (
          <li key={s}>
            <button
              type="button"
              aria-current={s === section ? "page" : undefined}
              onClick={() => go(s)}
              aria-keyshortcuts={`Control+${i + 1}`}
            >
              {SECTION_LABELS[s]}
              {s === "tasks" && waiting > 0 && (
                <span className="badge" aria-label={`${waiting} waiting for approval`}>
                  {waiting}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      <div className="status" role="status" aria-label="Hub status">
        <p>
          <span className={live?.relay.connected ? "dot online" : "dot"} aria-hidden="true" />{" "}
          {live ? `Relay ${live.relay.connected ? "connected" : "offline"}` : "Relay: unknown (hub not connected)"}
        </p>
        <p>{live ? `${live.devicesOnline} of ${live.devicesPaired} devices online` : "Devices: unknown"}</p>
      </div>
      <div className="actions">
        <button type="button" onClick={() => setTheme(dark ? "light" : "dark")}>
          {dark ? "Use light theme" : "Use dark theme"}
        </button>
        <button type="button" onClick={() => toggleHelp(true)} aria-label="Keyboard shortcuts">
          ?
        </button>
      </div>
    </nav>
  );
}
