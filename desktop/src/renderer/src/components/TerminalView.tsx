import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef, useState } from "react";
import { hub } from "../hub-ref";
import { report } from "../stores/ui-store";
import { heldHere, WINDOW_SCREEN } from "../window-screen";

/** The pty's size when a phone or another window holds it (it typed last), or null while this window does. */
type Foreign = { cols: number; rows: number; by: string } | null;

/**
 * One hub terminal in xterm.js: replays the hub's snapshot, then appends
 * live output whose sequence number is newer, so nothing shows twice.
 * Size policy (docs/protocol.md section 11, "Terminal size"): this window
 * always reports the size it fits, but the pty follows whichever viewer
 * typed last (each window of the desktop UI is a viewer of its own); while a
 * phone or another window holds it, the terminal is drawn at that size
 * (scrollable) and never resized back by merely being looked at.
 */
export function TerminalView({ id, title }: { id: string; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [foreign, setForeign] = useState<Foreign>(null);
  const claimRef = useRef<() => void>(() => undefined);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const term = new Terminal({
      convertEol: false,
      cursorBlink: true,
      fontFamily: "ui-monospace, monospace",
      fontSize: 13,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    let holder: Foreign = null;
    /** Draws at this window's size while the desktop holds the size, else at the holder's. */
    const layout = () => {
      const own = fit.proposeDimensions();
      const want = holder ?? (own && own.cols >= 2 && own.rows >= 1 ? own : null);
      if (want && (term.cols !== want.cols || term.rows !== want.rows)) term.resize(want.cols, want.rows);
      setForeign(holder);
      return own;
    };
    const offSize = hub().on("terminal.resized", (e) => {
      if (e.id !== id) return;
      holder = heldHere(e.by) ? null : { cols: e.cols, rows: e.rows, by: e.by };
      layout();
    });
    let lastSeq = -1;
    const early: { seq: number; data: string }[] = [];
    let replayed = false;
    const show = (o: { seq: number; data: string }) => {
      if (o.seq <= lastSeq) return;
      lastSeq = o.seq;
      term.write(o.data);
    };
    const off = hub().on("terminal.output", (o) => {
      if (o.id !== id) return;
      if (replayed) show(o);
      else early.push(o);
    });
    hub()
      .terminalSnapshot({ id })
      .then((snap) => {
        if (snap.size && !heldHere(snap.size.by)) holder = snap.size;
        layout();
        term.write(snap.data);
        lastSeq = snap.seq;
        replayed = true;
        early.splice(0).forEach(show);
      })
      .catch(report);
    const input = term.onData((data) => void hub().terminalInput({ id, data, screen: WINDOW_SCREEN }).catch(report));
    const resize = (claim = false) => {
      const own = layout();
      if (own && own.cols >= 2 && own.rows >= 1)
        void hub()
          .resizeTerminal({ id, cols: own.cols, rows: own.rows, screen: WINDOW_SCREEN, ...(claim ? { claim } : {}) })
          .catch(report);
    };
    claimRef.current = () => resize(true);
    const observer = new ResizeObserver(() => resize());
    observer.observe(el);
    term.focus();
    return () => {
      observer.disconnect();
      input.dispose();
      off();
      offSize();
      term.dispose();
    };
  }, [id]);
  return (
    <>
      {foreign && (
        <p className="terminal-size-note" role="note">
          Sized by {foreign.by.startsWith("desktop:") ? "another window of this desktop" : "the phone"} that typed last
          ({foreign.cols}×{foreign.rows}); typing here fits it to this window.{" "}
          <button type="button" onClick={() => claimRef.current()}>
            Fit to this window
          </button>
        </p>
      )}
      <div
        ref={box}
        className={`terminal${foreign ? " foreign-size" : ""}`}
        role="application"
        aria-label={`Terminal ${title}`}
      />
    </>
  );
}
