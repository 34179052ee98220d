import "@xterm/xterm/css/xterm.css";
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import { useEffect, useRef, useState } from "react";
import type { TermSizePush } from "@neural-link/shared/app";
import { useStore } from "zustand";
import { deviceIdOf } from "@neural-link/shared/crypto";
import { MOBILE_SETTINGS } from "../../settings";
import type { Session } from "../../stores/session";
import { awaitingWords } from "../../tasks/task-words";
import { readClipboard } from "../../terminal/clipboard";
import { applyModifiers, NO_MODIFIERS, releaseOnce, type Modifiers } from "../../terminal/extra-keys";
import { loadFontSize, saveFontSize, stepFontSize } from "../../terminal/font-size";
import { TerminalSession, type TerminalView } from "../../terminal/terminal-session";
import { useAppStores } from "../app-context";
import { useLink } from "../use-link";
import { mirrorInlineStyles } from "./mirror-inline-styles";
import { NoDesktop } from "./NoDesktop";
import { ExtraKeys } from "./ExtraKeys";
import { TerminalCopyView } from "./TerminalCopyView";
import { TerminalPasteBox } from "./TerminalPasteBox";
import { TerminalRequest } from "./TerminalRequest";
import { TerminalTabs } from "./TerminalTabs";
import { QuietTrigger } from "../../terminal/quiet-trigger";
import { typeInsertedText } from "../../terminal/inserted-text";
import { TerminalTools } from "./TerminalTools";

/** Terminal colours matching the app's light and dark palettes (styles.css). */
function themeFor(dark: boolean) {
  return dark
    ? { background: "#111418", foreground: "#e6e8eb", cursor: "#e6e8eb" }
    : { background: "#ffffff", foreground: "#1b1f24", cursor: "#1b1f24" };
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

/** The newest lines of the terminal (scrollback included) as plain text, for the copy view. */
function terminalText(xterm: Terminal): string {
  const buf = xterm.buffer.active;
  const lines: string[] = [];
  for (let i = Math.max(0, buf.length - MOBILE_SETTINGS.terminalSelectLines); i < buf.length; i++)
    lines.push(buf.getLine(i)?.translateToString(true) ?? "");
  while (lines.length > 0 && lines.at(-1) === "") lines.pop();
  return lines.join("\n");
}

/**
 * An xterm.js terminal attached to a shell on the desktop. Its size follows
 * the size policy (docs/protocol.md section 11, "Terminal size"): this
 * phone always tells the hub the size its screen fits; while it holds the
 * size (it typed last) the terminal fills the screen, otherwise it is drawn
 * at the size the other viewer set, scrollable, with "Fit to this phone".
 */
function RemoteTerminal({ session }: { session: Session }) {
  const { app, kv } = useAppStores();
  const identity = useStore(app, (s) => s.identity);
  const me = identity ? deviceIdOf(identity.signPublicKey) : "";
  const { blocker } = useLink(session);
  const hostRef = useRef<HTMLDivElement>(null);
  const remoteRef = useRef<TerminalSession | null>(null);
  const xtermRef = useRef<Terminal | null>(null);
  const [view, setView] = useState<TerminalView>({
    phase: "opening",
    term: null,
    error: null,
    exitCode: null,
    task: null,
  });
  const [mods, setMods] = useState<Modifiers>(NO_MODIFIERS);
  const modsRef = useRef(mods);
  modsRef.current = mods;
  const [fontSize, setFontSize] = useState<number>(MOBILE_SETTINGS.terminalFontSize);
  const [panel, setPanel] = useState<{ kind: "paste" } | { kind: "copy"; text: string } | null>(null);
  /** The pty's size when another viewer holds it; null while this phone does (or nothing is known). */
  const [foreign, setForeign] = useState<TermSizePush | null>(null);
  const [outputPauses, setOutputPauses] = useState(0);
  /** Lays the terminal out again and, with `report`, tells the hub this screen's size (`claim`: and take the size). */
  const relayoutRef = useRef<(report: boolean, claim?: boolean) => void>(() => undefined);
  /** Pastes into the shell (bracketed when the program asked for it). */
  const pasteRef = useRef<(text: string) => void>(() => undefined);

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
    const fitsNow = () => host.clientHeight >= (xterm.options.fontSize ?? MOBILE_SETTINGS.terminalFontSize) * 2;
    if (fitsNow()) fit.fit();
    xtermRef.current = xterm;
    // The tabs name what runs in each shell: refetched when output pauses (a command typed, or one ended).
    const outputPaused = new QuietTrigger(MOBILE_SETTINGS.terminalListQuietMs, MOBILE_SETTINGS.terminalListBusyMs, () =>
      setOutputPauses((n) => n + 1),
    );
    const remote = new TerminalSession(
      session.link,
      {
        reset: () => xterm.reset(),
        write: (d, drawn) => {
          xterm.write(d, drawn);
          outputPaused.poke();
        },
        // xterm decodes UTF-8 itself: output comes as bytes, with no JSON text to parse.
        bytes: true,
      },
      me,
    );
    remoteRef.current = remote;
    /** The size this screen fits, or null while the host is collapsed. */
    const mine = () => {
      const d = fitsNow() ? fit.proposeDimensions() : undefined;
      return d && Number.isFinite(d.cols) && d.cols >= 2 && d.rows >= 1 ? { cols: d.cols, rows: d.rows } : null;
    };
    const layout = (report: boolean, claim = false) => {
      const own = mine();
      if (!own) return;
      const size = remote.size;
      const other = size && size.by !== me ? size : null;
      const want = other ?? own;
      if (xterm.cols !== want.cols || xterm.rows !== want.rows) xterm.resize(want.cols, want.rows);
      setForeign(other);
      if (report) void remote.resize(own.cols, own.rows, claim);
    };
    relayoutRef.current = layout;
    void loadFontSize(kv).then((size) => {
      if (xtermRef.current !== xterm) return;
      xterm.options.fontSize = size;
      setFontSize(size);
      layout(true);
    });
    const offs = [
      remote.onChange((v) => {
        setView(v);
        // Kept while a shell is being (re)attached ("opening" has no id yet): leaving the tab then must not forget it.
        if (v.term !== null || v.phase !== "opening") session.terminalId = v.term;
        // The request is a task too: the Tasks screen lists it, and approving it here goes through the tasks store.
        if (v.task) session.tasks.getState().upsert([v.task]);
      }),
      remote.onSize(() => layout(false)),
      session.link.onPush((p) => remote.handlePush(p)),
      // An answer given from this phone comes back as the call's result, into the tasks store: a decided request ends
      // the wait.
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
          void remote.resync().then(() => layout(true));
        }
      }),
    );
    let pasting = false;
    const input = xterm.onData((d) => {
      // A sticky Ctrl or Alt applies to the next key typed on the soft keyboard (one character), not to a paste.
      const applied = pasting ? { data: d, used: false } : applyModifiers(d, modsRef.current);
      if (applied.used) setMods(releaseOnce(modsRef.current));
      void remote.input(applied.data);
    });
    // Emoji, suggested words and letters the layout lacks come without a key press; xterm's screen reader mode
    // (on, above) would drop them.
    const stopInserted = xterm.textarea ? typeInsertedText(xterm.textarea, (text) => xterm.input(text)) : () => {};
    const pasteInto = (text: string) => {
      pasting = true;
      try {
        xterm.paste(text); // bracketed when the program asked for it; goes out through onData
      } finally {
        pasting = false;
      }
    };
    pasteRef.current = pasteInto;
    let resizeTimer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver(() => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => layout(true), MOBILE_SETTINGS.terminalResizeDebounceMs);
    });
    observer.observe(host);
    // After a reload this phone has no terminal id: reattach to its newest open shell, or to a request still waiting.
    void remote.attach(xterm.cols, xterm.rows, session.terminalId ?? undefined).then(() => {
      if (remote.current.phase !== "none") return;
      const waiting = session.tasks
        .getState()
        .tasks.find((t) => t.kind === "terminal" && t.state === "awaiting_approval" && t.term);
      if (waiting) remote.waitFor(waiting);
    });
    return () => {
      outputPaused.dispose();
      clearTimeout(resizeTimer);
      darkQuery.removeEventListener("change", onScheme);
      observer.disconnect();
      input.dispose();
      stopInserted();
      for (const off of offs) off();
      // The shell stays open on the desktop; coming back reattaches to it by snapshot.
      remoteRef.current = null;
      xtermRef.current = null;
      relayoutRef.current = () => undefined;
      pasteRef.current = () => undefined;
      xterm.dispose();
      stopMirroring();
    };
  }, [session, me, kv]);

  const withXterm = (fn: (remote: TerminalSession, xterm: Terminal) => Promise<void>) => {
    const remote = remoteRef.current;
    const xterm = xtermRef.current;
    if (remote && xterm) void fn(remote, xterm);
  };
  const newShell = () => withXterm((remote, xterm) => remote.open(xterm.cols, xterm.rows));
  const show = (term: string) =>
    withXterm((remote, xterm) => remote.attach(xterm.cols, xterm.rows, term).then(() => relayoutRef.current(true)));
  const send = (data: string) => void remoteRef.current?.input(data);
  const open = view.phase === "open";
  const tools = {
    font: (direction: 1 | -1) =>
      withXterm(async (_remote, xterm) => {
        const size = stepFontSize(xterm.options.fontSize ?? fontSize, direction);
        xterm.options.fontSize = size;
        setFontSize(size);
        relayoutRef.current(true);
        await saveFontSize(kv, size);
      }),
    paste: () =>
      void readClipboard().then((text) => {
        if (text === null) setPanel({ kind: "paste" });
        else if (text !== "") pasteRef.current(text);
      }),
    copy: () => {
      const xterm = xtermRef.current;
      if (xterm) setPanel({ kind: "copy", text: terminalText(xterm) });
    },
    reconnect: () => withXterm((remote) => remote.resync().then(() => relayoutRef.current(true))),
  };
  const fitHere = () => relayoutRef.current(true, true);

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
          A terminal gives full access to the desktop: what you type runs with your rights, outside the sandbox. Each
          new shell asks for approval. {blocker}
        </p>
      )}
      {view.phase === "awaiting_approval" && view.task && (
        <TerminalRequest
          session={session}
          task={view.task}
          me={me}
          blocker={blocker}
          onWithdraw={() => void remoteRef.current?.close()}
        />
      )}
      <TerminalTabs
        hub={session.link}
        current={view.term}
        version={`${view.phase}:${view.term ?? ""}:${outputPauses}`}
        onShow={show}
        onClosedCurrent={() => void remoteRef.current?.close()}
        // After an exit the screen's own "New shell" button offers the same; one is enough.
        onNew={open && blocker === null ? newShell : undefined}
      />
      {(open || view.phase === "exited") && (
        <TerminalTools
          fontSize={fontSize}
          disabled={!open}
          onFont={tools.font}
          onPaste={tools.paste}
          onCopy={tools.copy}
          onReconnect={tools.reconnect}
        />
      )}
      {open && foreign && (
        <p className="terminal-size-note" role="note">
          <span>
            Sized by {foreign.by === "desktop" ? "the desktop" : "another screen"} ({foreign.cols}×{foreign.rows}).
            Typing here fits it to this phone.
          </span>
          <button type="button" className="fit-here" onClick={fitHere}>
            Fit to this phone
          </button>
        </p>
      )}
      {panel?.kind === "paste" && (
        <TerminalPasteBox onPaste={(t) => pasteRef.current(t)} onClose={() => setPanel(null)} />
      )}
      {panel?.kind === "copy" && <TerminalCopyView text={panel.text} onClose={() => setPanel(null)} />}
      <div className={`terminal-host${foreign ? " foreign-size" : ""}`} ref={hostRef} data-testid="terminal" />
      <ExtraKeys
        mods={mods}
        onMods={setMods}
        onSend={send}
        disabled={!open}
        context={() => ({ applicationCursor: xtermRef.current?.modes.applicationCursorKeysMode ?? false })}
      />
    </div>
  );
}
