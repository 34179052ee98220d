import "@xterm/xterm/css/xterm.css";
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import { useEffect, useRef, useState } from "react";
import { useStore } from "zustand";
import { deviceIdOf } from "@neural-link/shared/crypto";
import { MOBILE_SETTINGS } from "../../settings";
import type { Session } from "../../stores/session";
import { awaitingWords } from "../../tasks/task-words";
import { TerminalSession, type TerminalView } from "../../terminal/terminal-session";
import { useAppStores } from "../app-context";
import { useLink } from "../use-link";
import { mirrorInlineStyles } from "./mirror-inline-styles";
import { NoDesktop } from "./NoDesktop";
import { ShellList } from "./ShellList";
import { TerminalRequest } from "./TerminalRequest";

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

function phaseWords(v: TerminalView): string {
  switch (v.phase) {
    case "none":
      return "No shell open";
    case "opening":
      return "Opening terminal…";
    case "awaiting_approval":
      return v.task ? (awaitingWords(v.task) ?? "Waiting for approval") : "Opening terminal…";
    case "open":
      return "Terminal open";
    case "exited":
      return `The shell has exited${v.exitCode !== null ? ` (exit code ${v.exitCode})` : ""}`;
    case "rejected":
      return v.error ?? "The terminal did not open.";
    case "gone":
      return "This shell is gone: the desktop's hub restarted or closed it.";
    case "error":
      return "Terminal problem";
    default: {
      const never: never = v.phase;
      return String(never);
    }
  }
}

/** Phases in which "New shell" is offered: nothing is shown or asked for. */
const CAN_OPEN: ReadonlySet<TerminalView["phase"]> = new Set(["none", "exited", "rejected", "gone", "error"]);

export function TerminalScreen() {
  const session = useStore(useAppStores().app, (s) => s.session);
  if (!session) return <NoDesktop />;
  return <RemoteTerminal session={session} key={session.pairing.device} />;
}

/** An xterm.js terminal attached to a shell on the desktop, sized to this screen. */
function RemoteTerminal({ session }: { session: Session }) {
  const identity = useStore(useAppStores().app, (s) => s.identity);
  const me = identity ? deviceIdOf(identity.signPublicKey) : "";
  const { blocker } = useLink(session);
  const hostRef = useRef<HTMLDivElement>(null);
  const remoteRef = useRef<TerminalSession | null>(null);
  const xtermRef = useRef<Terminal | null>(null);
  const [view, setView] = useState<TerminalView>({ phase: "opening", term: null, error: null, exitCode: null, task: null });

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
    // The host is collapsed while no shell is shown: fitting it then would size the shell to one row.
    const fitsNow = () => host.clientHeight >= MOBILE_SETTINGS.terminalFontSize * 2;
    if (fitsNow()) fit.fit();
    xtermRef.current = xterm;
    const remote = new TerminalSession(session.link, { reset: () => xterm.reset(), write: (d) => xterm.write(d) }, me);
    remoteRef.current = remote;
    const offs = [
      remote.onChange((v) => {
        setView(v);
        session.terminalId = v.term;
        // The request is a task too: the Tasks screen lists it, and approving it here goes through the tasks store.
        if (v.task) session.tasks.getState().upsert([v.task]);
      }),
      session.link.onPush((p) => remote.handlePush(p)),
      // An answer given from this phone comes back as the call's result, into the tasks store: a decided request ends the wait.
      session.tasks.subscribe((s) => {
        const pending = remote.current.task;
        const fresh = pending && s.tasks.find((t) => t.id === pending.id);
        if (fresh && fresh.state !== "awaiting_approval") remote.handlePush({ t: "task.updated", d: { task: fresh } });
      }),
    ];
    let epoch = session.link.status().epoch;
    let desktopOnline = session.link.status().peerOnline;
    offs.push(
      session.link.onStatus((s) => {
        // Back online after a drop, or the desktop back after a restart: output sent meanwhile (qos 0) is
        // lost; redraw from a snapshot (which also finds out that a restarted hub no longer has the shell).
        const desktopBack = s.state === "online" && s.peerOnline && !desktopOnline;
        desktopOnline = s.state === "online" && s.peerOnline;
        if (s.state === "online" && (s.epoch !== epoch || desktopBack)) {
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
        if (!fitsNow()) return;
        fit.fit();
        void remote.resize(xterm.cols, xterm.rows);
      }, MOBILE_SETTINGS.terminalResizeDebounceMs);
    });
    observer.observe(host);
    // After a reload this phone has no terminal id: reattach to its newest open shell, or to a request still waiting.
    void remote.attach(xterm.cols, xterm.rows, session.terminalId ?? undefined).then(() => {
      if (remote.current.phase !== "none") return;
      const waiting = session.tasks.getState().tasks.find((t) => t.kind === "terminal" && t.state === "awaiting_approval" && t.term);
      if (waiting) remote.waitFor(waiting);
    });
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
  }, [session, me]);

  const withXterm = (fn: (remote: TerminalSession, xterm: Terminal) => Promise<void>) => {
    const remote = remoteRef.current;
    const xterm = xtermRef.current;
    if (remote && xterm) void fn(remote, xterm);
  };
  const newShell = () => withXterm((remote, xterm) => remote.open(xterm.cols, xterm.rows));
  const show = (term: string) => withXterm((remote, xterm) => remote.attach(xterm.cols, xterm.rows, term));

  return (
    <div className={`terminal-screen phase-${view.phase}`}>
      <div className="terminal-top">
        <p className="terminal-status" role="status" aria-live="polite">
          {phaseWords(view)}
          {view.phase !== "rejected" && view.error && <span className="error"> — {view.error}</span>}
        </p>
        {CAN_OPEN.has(view.phase) && (
          <button type="button" className="new-shell" onClick={newShell} disabled={blocker !== null}>
            New shell
          </button>
        )}
      </div>
      {CAN_OPEN.has(view.phase) && (
        <p className="terminal-note muted">
          A terminal gives full access to the desktop: what you type runs with your rights, outside the sandbox. Each new shell asks for
          approval. {blocker}
        </p>
      )}
      {view.phase === "awaiting_approval" && view.task && (
        <TerminalRequest session={session} task={view.task} me={me} blocker={blocker} onWithdraw={() => void remoteRef.current?.close()} />
      )}
      <ShellList hub={session.link} current={view.term} version={`${view.phase}:${view.term ?? ""}`} onShow={show} onClosedCurrent={() => void remoteRef.current?.close()} />
      <div className="terminal-host" ref={hostRef} data-testid="terminal" />
      <div className="row extra-keys" role="toolbar" aria-label="Extra keys">
        {EXTRA_KEYS.map((k) => (
          <button key={k.name} type="button" aria-label={k.name} disabled={view.phase !== "open"} onClick={() => void remoteRef.current?.input(k.data)}>
            {k.label}
          </button>
        ))}
      </div>
    </div>
  );
}
