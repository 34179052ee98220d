import "@xterm/xterm/css/xterm.css";
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import { useEffect, useRef, useState } from "react";
import { useStore } from "zustand";
import { MOBILE_SETTINGS } from "../../settings";
import type { Session } from "../../stores/session";
import { TerminalSession, type TerminalView } from "../../terminal/terminal-session";
import { useAppStores } from "../app-context";
import { mirrorInlineStyles } from "./mirror-inline-styles";
import { NoDesktop } from "./NoDesktop";

/** Keys a phone's on-screen keyboard lacks, as the bytes a terminal expects. */
const EXTRA_KEYS: { label: string; name: string; data: string }[] = [
  { label: "Esc", name: "Escape", data: "\x1b" },
  { label: "Tab", name: "Tab", data: "\t" },
  { label: "^C", name: "Control C (interrupt)", data: "\x03" },
  { label: "↑", name: "Up arrow", data: "\x1b[A" },
  { label: "↓", name: "Down arrow", data: "\x1b[B" },
  { label: "←", name: "Left arrow", data: "\x1b[D" },
  { label: "→", name: "Right arrow", data: "\x1b[C" },
];

/** Terminal colours matching the app's light and dark palettes (styles.css). */
function themeFor(dark: boolean) {
  return dark ? { background: "#111418", foreground: "#e6e8eb", cursor: "#e6e8eb" } : { background: "#ffffff", foreground: "#1b1f24", cursor: "#1b1f24" };
}

const PHASE_WORDS: Record<TerminalView["phase"], string> = {
  closed: "Terminal closed",
  opening: "Opening terminal…",
  open: "Terminal open",
  exited: "The shell has exited",
  error: "Terminal problem",
};

export function TerminalScreen() {
  const session = useStore(useAppStores().app, (s) => s.session);
  if (!session) return <NoDesktop />;
  return <RemoteTerminal session={session} key={session.pairing.device} />;
}

/** An xterm.js terminal attached to a shell on the desktop, sized to this screen. */
function RemoteTerminal({ session }: { session: Session }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const remoteRef = useRef<TerminalSession | null>(null);
  const xtermRef = useRef<Terminal | null>(null);
  const [view, setView] = useState<TerminalView>({ phase: "closed", term: null, error: null, exitCode: null });

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const darkQuery = matchMedia("(prefers-color-scheme: dark)");
    const xterm = new Terminal({
      scrollback: MOBILE_SETTINGS.terminalScrollback,
      fontSize: MOBILE_SETTINGS.terminalFontSize,
      convertEol: false,
      screenReaderMode: true,
      theme: themeFor(darkQuery.matches),
    });
    const onScheme = () => (xterm.options.theme = themeFor(darkQuery.matches));
    darkQuery.addEventListener("change", onScheme);
    const fit = new FitAddon();
    xterm.loadAddon(fit);
    const stopMirroring = mirrorInlineStyles(host);
    xterm.open(host);
    fit.fit();
    xtermRef.current = xterm;
    const remote = new TerminalSession(session.link, { reset: () => xterm.reset(), write: (d) => xterm.write(d) });
    remoteRef.current = remote;
    const offs = [
      remote.onChange((v) => {
        setView(v);
        if (v.term) session.terminalId = v.term;
      }),
      session.link.onPush((p) => remote.handlePush(p)),
    ];
    let epoch = session.link.status().epoch;
    offs.push(
      session.link.onStatus((s) => {
        // Back online after a drop: output sent meanwhile (qos 0) is lost; redraw from a snapshot.
        if (s.state === "online" && s.epoch !== epoch) {
          epoch = s.epoch;
          void remote.resync();
        }
      }),
    );
    const input = xterm.onData((d) => void remote.input(d));
    let resizeTimer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver(() => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => {
        fit.fit();
        void remote.resize(xterm.cols, xterm.rows);
      }, MOBILE_SETTINGS.terminalResizeDebounceMs);
    });
    observer.observe(host);
    void remote.open(xterm.cols, xterm.rows, session.terminalId ?? undefined);
    return () => {
      clearTimeout(resizeTimer);
      darkQuery.removeEventListener("change", onScheme);
      observer.disconnect();
      input.dispose();
      for (const off of offs) off();
      // The shell stays open on the desktop; coming back reattaches to it by snapshot.
      remoteRef.current = null;
      xtermRef.current = null;
      xterm.dispose();
      stopMirroring();
    };
  }, [session]);

  const restart = () => {
    session.terminalId = null;
    const remote = remoteRef.current;
    const xterm = xtermRef.current;
    if (!remote || !xterm) return;
    void remote.close().then(() => remote.open(xterm.cols, xterm.rows));
  };

  return (
    <div className="terminal-screen">
      <p className="terminal-status" role="status" aria-live="polite">
        {PHASE_WORDS[view.phase]}
        {view.phase === "exited" && view.exitCode !== null && ` (exit code ${view.exitCode})`}
        {view.error && <span className="error"> — {view.error}</span>}
      </p>
      <div className="terminal-host" ref={hostRef} data-testid="terminal" />
      <div className="row extra-keys" role="toolbar" aria-label="Extra keys">
        {EXTRA_KEYS.map((k) => (
          <button key={k.name} type="button" aria-label={k.name} onClick={() => void remoteRef.current?.input(k.data)}>
            {k.label}
          </button>
        ))}
        {(view.phase === "exited" || view.phase === "error") && (
          <button type="button" onClick={restart}>
            New shell
          </button>
        )}
      </div>
    </div>
  );
}
