import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef } from "react";
import { hub } from "../hub-ref";
import { report } from "../stores/ui-store";

/**
 * One hub terminal in xterm.js: replays the hub's snapshot, then appends
 * live output whose sequence number is newer, so nothing shows twice.
 */
export function TerminalView({ id, title }: { id: string; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const term = new Terminal({ convertEol: false, cursorBlink: true, fontFamily: "ui-monospace, monospace", fontSize: 13 });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
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
        term.write(snap.data);
        lastSeq = snap.seq;
        replayed = true;
        early.splice(0).forEach(show);
      })
      .catch(report);
    const input = term.onData((data) => void hub().terminalInput({ id, data }).catch(report));
    const resize = () => {
      fit.fit();
      void hub().resizeTerminal({ id, cols: term.cols, rows: term.rows }).catch(report);
    };
    const observer = new ResizeObserver(resize);
    observer.observe(el);
    term.focus();
    return () => {
      observer.disconnect();
      input.dispose();
      off();
      term.dispose();
    };
  }, [id]);
  return <div ref={box} className="terminal" role="application" aria-label={`Terminal ${title}`} />;
}
