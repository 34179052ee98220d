import { useEffect, useState } from "react";
import { useStore } from "zustand";
import type { LinkStatus } from "../connection/hub-link";
import { createStore } from "zustand/vanilla";
import { useAppStores } from "./app-context";

/** Stands in for a session's flag when there is no session, so the hook is always called. */
const NOT_REVOKED = createStore(() => ({ revoked: false }));

const STATE_WORDS: Record<LinkStatus["state"], string> = {
  connecting: "Connecting to relay…",
  authenticating: "Signing in to relay…",
  online: "Connected to relay",
  offline: "Offline, reconnecting…",
  closed: "Disconnected",
};

/** Always visible: which desktop, whether the relay is reachable, and whether the desktop is online. */
export function StatusBar() {
  const { app, pairing } = useAppStores();
  const session = useStore(app, (s) => s.session);
  const paired = useStore(app, (s) => s.pairings.length > 0);
  const pairingStep = useStore(pairing, (s) => s.view.step);
  const [status, setStatus] = useState<LinkStatus | null>(() => session?.link.status() ?? null);
  useEffect(() => {
    if (!session) return setStatus(null);
    setStatus(session.link.status());
    return session.link.onStatus(setStatus);
  }, [session]);

  const revoked = useStore(session?.revoked ?? NOT_REVOKED, (s) => s.revoked);

  if (!session || !status) {
    return (
      <header className="status-bar" role="status" aria-live="polite">
        <span className="status-title">Neural Link</span>
        <span className="status-detail">
          {pairingStep === "connecting" || pairingStep === "waiting" ? "Pairing…" : paired ? "Not connected" : "No desktop paired"}
        </span>
      </header>
    );
  }
  const desktop = status.state !== "online" ? "unknown" : status.peerOnline ? "online" : "offline";
  return (
    <header className="status-bar" role="status" aria-live="polite" data-link={status.state} data-desktop={desktop}>
      <span className="status-title">{session.pairing.name}</span>
      <span className="status-detail">
        <span className={`dot dot-${status.state}`} aria-hidden="true" /> {STATE_WORDS[status.state]}
        {status.state === "online" && <> · Desktop {desktop}</>}
        {status.error && status.state !== "online" && <span className="status-error"> ({status.error})</span>}
      </span>
      {revoked && (
        <span className="status-error" role="alert">
          {session.pairing.name} has removed this phone. Pair again, or forget it under Desktops.
        </span>
      )}
    </header>
  );
}
