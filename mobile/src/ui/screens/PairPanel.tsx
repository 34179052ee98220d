import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { useStore } from "zustand";
import { useAppStores } from "../app-context";
import { QrScanner } from "./QrScanner";

/**
 * Pairing: scan the desktop's QR code or paste its text. The text stays on
 * this page; it is never put in the address bar, where the relay serving
 * the app could see it.
 */
export function PairPanel() {
  const { pairing, app } = useAppStores();
  const view = useStore(pairing, (s) => s.view);
  const [text, setText] = useState("");
  const [scanning, setScanning] = useState(false);
  // Move focus to the outcome, so keyboard and screen-reader users land on it.
  const outcomeRef = useRef<HTMLHeadingElement & HTMLParagraphElement>(null);
  useEffect(() => {
    if (view.step === "paired" || view.step === "failed") outcomeRef.current?.focus();
  }, [view.step]);
  // An outcome is news once: coming back to this screen starts afresh (a running pairing is kept).
  useEffect(() => () => pairing.getState().reset(), [pairing]);
  const onScanned = useCallback(
    (scanned: string) => {
      setScanning(false);
      void pairing.getState().start(scanned);
    },
    [pairing],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void pairing.getState().start(text);
  };

  switch (view.step) {
    case "connecting":
    case "waiting":
      return (
        <section className="panel pair-progress" aria-labelledby="pair-title">
          <h2 id="pair-title">Pairing with {view.desktopName}</h2>
          <p role="status" aria-live="polite">
            {view.step === "connecting"
              ? "Connecting to the relay…"
              : "Check that the desktop shows the same code, then accept there."}
          </p>
          <p className="sas" aria-label={`Code ${view.sas.split("").join(" ")}`} data-testid="sas">
            {view.sas}
          </p>
          <button type="button" onClick={() => pairing.getState().cancel()}>
            Cancel
          </button>
        </section>
      );
    case "paired":
      return (
        <section className="panel" aria-labelledby="pair-title">
          <h2 id="pair-title" tabIndex={-1} ref={outcomeRef}>
            Paired with {view.pairing.name}
          </h2>
          <p role="status">This phone can now reach {view.pairing.name}.</p>
          <div className="row">
            <button type="button" className="primary" onClick={() => app.getState().setTab("chat")}>
              Open chat
            </button>
            <button type="button" onClick={() => pairing.getState().reset()}>
              Pair another desktop
            </button>
          </div>
        </section>
      );
    case "failed":
    case "idle":
      break;
    default: {
      const never: never = view;
      return never;
    }
  }

  return (
    <section className="panel" aria-labelledby="pair-new">
      <h2 id="pair-new">Pair a desktop</h2>
      {view.step === "failed" && (
        <p role="alert" className="error" data-reason={view.reason} tabIndex={-1} ref={outcomeRef}>
          {view.message}
        </p>
      )}
      {scanning ? (
        <QrScanner onResult={onScanned} onCancel={() => setScanning(false)} />
      ) : (
        <button type="button" className="primary" onClick={() => setScanning(true)}>
          Scan QR code
        </button>
      )}
      <form onSubmit={submit} className="paste-form">
        <label htmlFor="pair-text">Or paste the pairing text shown on the desktop</label>
        <textarea
          id="pair-text"
          rows={3}
          placeholder="nlink://pair?…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          autoCapitalize="off"
        />
        <button type="submit" disabled={text.trim() === ""}>
          Pair
        </button>
      </form>
    </section>
  );
}
