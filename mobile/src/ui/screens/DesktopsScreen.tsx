import { useStore } from "zustand";
import { useAppStores } from "../app-context";
import { DesktopNotifications } from "../../push/DesktopNotifications";
import { PairPanel } from "./PairPanel";

/** The paired desktops, which one is in use, and pairing a new one. */
export function DesktopsScreen() {
  const { app } = useAppStores();
  const pairings = useStore(app, (s) => s.pairings);
  const current = useStore(app, (s) => s.session?.pairing.device ?? null);
  return (
    <div className="desktops">
      {pairings.length > 0 && (
        <section className="panel" aria-labelledby="paired-title">
          <h2 id="paired-title">Paired desktops</h2>
          <ul className="desktop-list">
            {pairings.map((p) => (
              <li key={p.device} className="desktop-item">
                <span>
                  <strong>{p.name}</strong>
                  {p.device === current && <span className="badge"> in use</span>}
                  <br />
                  <small className="muted">{new URL(p.relay).host}</small>
                </span>
                <span className="row">
                  {p.device !== current && (
                    <button type="button" onClick={() => void app.getState().select(p.device)}>
                      Use
                    </button>
                  )}
                  <button
                    type="button"
                    aria-label={`Forget ${p.name}`}
                    onClick={() =>
                      confirm(`Forget ${p.name}? You will need to pair again.`) && void app.getState().forget(p.device)
                    }
                  >
                    Forget
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <DesktopNotifications />
      <PairPanel />
    </div>
  );
}
