import { useStore } from "zustand";
import { linkStateWords } from "../connection/link-words";
import { useAppStores } from "./app-context";
import { useLink } from "./use-link";

/** Always visible: which desktop, whether the relay is reachable, and whether the desktop is online. */
export function StatusBar() {
  const { app, pairing } = useAppStores();
  const session = useStore(app, (s) => s.session);
  const paired = useStore(app, (s) => s.pairings.length > 0);
  const pairingStep = useStore(pairing, (s) => s.view.step);
  const { status, revoked } = useLink(session);

  if (!session || !status) {
    return (
      <header className="status-bar" role="status" aria-live="polite">
        <span className="status-title">Neural Link</span>
        <span className="status-detail">
          {pairingStep === "connecting" || pairingStep === "waiting"
            ? "Pairing…"
            : paired
              ? "Not connected"
              : "No desktop paired"}
        </span>
      </header>
    );
  }
  if (revoked) {
    // Connected to the relay or not, nothing works any more: the bar must not say "Connected".
    return (
      <header className="status-bar" role="status" aria-live="polite" data-link="revoked" data-desktop="unknown">
        <span className="status-title">{session.pairing.name}</span>
        <span className="status-detail">
          <span className="dot dot-closed" aria-hidden="true" /> Unpaired by the desktop
        </span>
        <span className="status-error" role="alert">
          {session.pairing.name} has removed this phone. Pair again, or forget it under Desktops.
        </span>
      </header>
    );
  }
  const desktop = status.state !== "online" ? "unknown" : status.peerOnline ? "online" : "offline";
  return (
    <header className="status-bar" role="status" aria-live="polite" data-link={status.state} data-desktop={desktop}>
      <span className="status-title">{session.pairing.name}</span>
      <span className="status-detail">
        <span className={`dot dot-${status.state}`} aria-hidden="true" /> {linkStateWords(status)}
        {status.state === "online" && <> · Desktop {desktop}</>}
      </span>
    </header>
  );
}
