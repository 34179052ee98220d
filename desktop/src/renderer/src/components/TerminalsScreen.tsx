import { useEffect } from "react";
import { useTerminals } from "../stores/terminals-store";
import { TerminalView } from "./TerminalView";

export function TerminalsScreen() {
  const { terminals, active, open, close, activate } = useTerminals();
  useEffect(() => {
    void useTerminals.getState().load();
  }, []);
  const current = terminals.find((t) => t.id === active);
  return (
    <section aria-labelledby="terms-h" className="terminals-screen">
      <h1 id="terms-h">Terminals</h1>
      <div role="tablist" aria-label="Open terminals" className="tabs">
        {terminals.map((t) => (
          <span key={t.id} className="tab">
            <button type="button" role="tab" aria-selected={t.id === active} onClick={() => activate(t.id)}>
              {t.title}
              {t.alive ? "" : " (exited)"}
            </button>
            <button type="button" aria-label={`Close ${t.title}`} onClick={() => void close(t.id)}>
              ×
            </button>
          </span>
        ))}
        <button type="button" onClick={() => void open()}>
          New terminal
        </button>
      </div>
      {current ? <TerminalView key={current.id} id={current.id} title={current.title} /> : <p>No terminal open.</p>}
    </section>
  );
}
