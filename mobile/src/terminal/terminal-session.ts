import {
  AppType,
  RpcError,
  type Task,
  type TermFlow,
  taskUpdatedSchema,
  termExitSchema,
  termOutputSchema,
  termOutputText,
  type TermSizePush,
  termSizeSchema,
} from "@neural-link/shared/app";
import type { HubCaller, HubLink, Push } from "../connection/hub-link";
import { describeError } from "../stores/errors";
import { stateWords } from "../tasks/task-words";
import { logFailure } from "@neural-link/ui/log";

/** Where the terminal's text goes: xterm.js in the app, an array in tests. */
export interface TerminalScreen {
  /** Clears the screen and scrollback before a snapshot is drawn. */
  reset(): void;
  /**
   * `data` is text, or (only for a screen that says `bytes`) the output's UTF-8 bytes. `drawn`, when given, is
   * called once it is on screen (xterm's write callback): it clocks `term.ack`.
   */
  write(data: string | Uint8Array, drawn?: () => void): void;
  /**
   * The screen draws UTF-8 bytes itself (xterm.js does): the session then asks the hub for output as bytes, which
   * spares both ends the JSON text and its UTF-8 round trip (docs/protocol.md section 11, "Output as bytes").
   */
  readonly bytes?: boolean;
}

/** A failure in words; a refusal for want of the `terminal` capability says where it is allowed. */
function errorWords(e: unknown): string {
  if (e instanceof RpcError && e.code === "forbidden")
    return "Terminals are off for this phone: the desktop's user turns them on under Devices (Terminals).";
  return describeError(e);
}

/** Keystrokes and acks go without asking the relay for an answer (HubLink SendOptions). */
const UNCONFIRMED = { confirm: false } as const;

/** What the session needs of the link: calls, and (for terminal flow) qos 0 messages and whether the hub is there. */
export type TerminalLink = HubCaller & Partial<Pick<HubLink, "send" | "status">>;

/**
 * - `none`: no shell attached (none open on the desktop, or the last one was closed here).
 * - `awaiting_approval`: asked for; a terminal is full access, so it opens once approved (`task`).
 * - `rejected`: the request was refused, withdrawn or expired (`error` says which, in words).
 * - `gone`: the desktop no longer has the shell this phone was attached to (the hub restarted).
 */
export type TerminalPhase =
  "none" | "opening" | "awaiting_approval" | "open" | "exited" | "rejected" | "gone" | "error";

export interface TerminalView {
  phase: TerminalPhase;
  term: string | null;
  error: string | null;
  exitCode: number | null;
  /** The approval request of a terminal waiting to open (kind "terminal"). */
  task: Task | null;
}

const EMPTY: TerminalView = { phase: "none", term: null, error: null, exitCode: null, task: null };

/**
 * One remote terminal. `term.output` pushes travel as qos 0 with a
 * per-terminal `seq` that rises by one per push; `term.open` and
 * `term.snapshot` report the seq of the last output they cover. A push that
 * skips a number means output was lost: the session fetches `term.snapshot`,
 * redraws the screen from it, and carries on from its seq. Reconnecting does
 * the same, which is also how scrollback comes back.
 *
 * A phone's `term.open` may answer `awaiting_approval` with a `task`: the
 * shell opens once that task is approved (a `task.updated` push, or
 * `tasks.get` after a reconnect), and never if it is rejected.
 */
export class TerminalSession {
  private term: string | null = null;
  private seq = 0;
  /**
   * The size this screen last fitted. Kept while no shell is open: a shell that opens after an approval is told it
   * then, since the screen may have changed meanwhile (the request's card gone, the keyboard up), and a pty one
   * column wider or narrower than the screen garbles every line that wraps.
   */
  private fits: { cols: number; rows: number } | null = null;
  private snapshotting: Promise<void> | null = null;
  /** Output that arrived while a snapshot was on its way; replayed past the snapshot's seq. */
  private held: { seq: number; data: string | Uint8Array }[] = [];
  private view: TerminalView = EMPTY;
  /** Terminal flow (docs/protocol.md section 11), when the hub offered it for this terminal. */
  private flow: TermFlow | null = null;
  /** Characters drawn since the last `term.ack`, and draws not yet finished. */
  private drawnSinceAck = 0;
  private drawing = 0;
  private readonly listeners = new Set<(view: TerminalView) => void>();
  /** The pty's size and its holder (docs/protocol.md section 11, "Terminal size"). */
  private ptySize: TermSizePush | null = null;
  private readonly sizeListeners = new Set<(size: TermSizePush) => void>();

  constructor(
    private readonly hub: TerminalLink,
    private readonly screen: TerminalScreen,
    /** This phone's device id, to word who rejected a request. */
    private readonly me: string = "",
  ) {}

  get current(): TerminalView {
    return this.view;
  }

  onChange(listener: (view: TerminalView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Reattaches to a shell this phone already has on the desktop: `existing`
   * (kept from an earlier visit) or, after a reload, the newest open one
   * `term.list` reports. Opens nothing new: that needs the person's tap and an approval.
   */
  async attach(cols: number, rows: number, existing?: string): Promise<void> {
    this.update({ ...EMPTY, phase: "opening" });
    try {
      const term = existing ?? (await this.hub.call("term.list", {})).terms.filter((t) => t.open).at(-1)?.term;
      if (!term) return this.update(EMPTY);
      this.term = term;
      if ((await this.fetchSnapshot(term)) && this.view.phase === "open") await this.resize(cols, rows);
    } catch (e) {
      this.update({ ...EMPTY, phase: "error", error: errorWords(e) });
    }
  }

  /** Waits for a terminal request made earlier (found among this phone's tasks after a reload). */
  waitFor(task: Task): void {
    if (!task.term) return;
    this.term = task.term;
    this.update({ ...EMPTY, phase: "awaiting_approval", term: task.term, task });
  }

  /** Asks for a new shell; it opens at once, or once approved. */
  async open(cols: number, rows: number): Promise<void> {
    this.fits = { cols, rows };
    this.update({ ...EMPTY, phase: "opening" });
    try {
      const opened = await this.hub.call("term.open", { cols, rows });
      this.term = opened.term;
      this.seq = opened.seq;
      this.startFlow(opened.flow);
      this.screen.reset();
      if (opened.state === "awaiting_approval" && opened.task)
        return this.update({ ...EMPTY, phase: "awaiting_approval", term: opened.term, task: opened.task });
      if (opened.state === "rejected") return this.settleRequest(opened.task ?? null);
      this.update({ ...EMPTY, phase: "open", term: opened.term });
      // Refitted while the hub answered: the pty opened at the size of the tap.
      if (this.fits.cols !== cols || this.fits.rows !== rows) await this.refit();
    } catch (e) {
      this.term = null;
      this.update({ ...EMPTY, phase: "error", error: errorWords(e) });
    }
  }

  /** Refetches the whole screen (after a gap in seq, or after reconnecting); rechecks a pending request. */
  resync(): Promise<void> {
    if (this.view.phase === "awaiting_approval" && this.view.task) return this.recheck(this.view.task.id);
    if (this.snapshotting) return this.snapshotting;
    const term = this.term;
    if (!term) return Promise.resolve();
    this.snapshotting = this.fetchSnapshot(term).then((ok) => {
      this.snapshotting = null;
      const held = this.held.sort((x, y) => x.seq - y.seq);
      this.held = [];
      // Replayed only after `snapshotting` is cleared, so that a gap among them can start a new resync.
      if (ok) for (const out of held) this.apply(out.seq, out.data);
    });
    return this.snapshotting;
  }

  private async recheck(taskId: string): Promise<void> {
    try {
      this.onTask((await this.hub.call("tasks.get", { task: taskId })).task);
    } catch (e) {
      this.update({ error: describeError(e) });
    }
  }

  private async fetchSnapshot(term: string): Promise<boolean> {
    try {
      const snap = await this.hub.call("term.snapshot", { term, ...(this.screen.bytes ? { bytes: true } : {}) });
      if (this.term !== term) return false;
      this.screen.reset();
      this.screen.write(snap.data);
      this.seq = snap.seq;
      this.startFlow(snap.flow);
      this.update(
        snap.open
          ? { ...EMPTY, phase: "open", term }
          : { ...EMPTY, phase: "exited", term, exitCode: this.view.exitCode },
      );
      return true;
    } catch (e) {
      if (this.term !== term) return false;
      if (e instanceof RpcError && e.code === "not_found") {
        // Not an error to show raw ("no terminal <uuid>"): the desktop's hub restarted, or the shell was closed there.
        this.term = null;
        this.update({ ...EMPTY, phase: "gone" });
      } else {
        this.update({ phase: "error", error: errorWords(e) });
      }
      return false;
    }
  }

  handlePush(push: Push): void {
    if (push.t === "term.output") {
      const out = termOutputSchema.safeParse(push.d);
      if (!out.success || out.data.term !== this.term || this.view.phase === "awaiting_approval") return;
      // While a snapshot is on its way, output is judged against the snapshot's seq once it lands.
      if (this.snapshotting) this.held.push(out.data);
      else this.apply(out.data.seq, out.data.data);
    } else if (push.t === "term.exit") {
      const exit = termExitSchema.safeParse(push.d);
      if (exit.success && exit.data.term === this.term) this.update({ phase: "exited", exitCode: exit.data.exit_code });
    } else if (push.t === "task.updated") {
      const parsed = taskUpdatedSchema.safeParse(push.d);
      if (parsed.success) this.onTask(parsed.data.task);
    } else if (push.t === "term.size") {
      const size = termSizeSchema.safeParse(push.d);
      if (size.success && size.data.term === this.term) this.setSize(size.data);
    }
  }

  /** A change of the pending terminal request: approved opens the shell, any final state ends the wait. */
  private onTask(task: Task): void {
    const pending = this.view.task;
    if (this.view.phase !== "awaiting_approval" || !pending || task.id !== pending.id) return;
    if (task.state === "awaiting_approval") return this.update({ task });
    if (task.state === "running" || task.state === "done") {
      this.update({ task: null });
      void this.resync().then(() => this.refit());
      return;
    }
    this.settleRequest(task);
  }

  private settleRequest(task: Task | null): void {
    this.term = null;
    const words = task ? stateWords(task, this.me) : "Rejected";
    const why =
      task?.end_reason === "approval_expired"
        ? "nobody approved it in time"
        : `${words.charAt(0).toLowerCase()}${words.slice(1)}`;
    this.update({ ...EMPTY, phase: "rejected", error: `The terminal did not open: ${why}.`, task });
  }

  private apply(seq: number, output: string | Uint8Array): void {
    if (seq <= this.seq) return; // already drawn (a duplicate, or covered by a snapshot)
    // A screen that takes text only gets the bytes' text, should bytes come anyway.
    const data = this.screen.bytes ? output : termOutputText(output);
    if (seq === this.seq + 1) {
      this.seq = seq;
      if (!this.flow) return this.screen.write(data);
      this.drawing++;
      let once = false;
      const drawn = () => {
        if (once) return;
        once = true;
        this.drawing--;
        this.drawnSinceAck += data.length;
        this.maybeAck(seq);
      };
      this.screen.write(data, drawn);
      // A screen without a write callback has drawn it when write returns.
      if (this.screen.write.length < 2) drawn();
      return;
    }
    void this.resync();
  }

  /**
   * The hub offered flow (or not) with a snapshot or an open: keystrokes go as `term.in`, and an ack of
   * `seq` now turns its window on (a hub counts a viewer that never acks the old way).
   */
  private startFlow(flow: TermFlow | undefined): void {
    this.flow = flow ?? null;
    this.drawnSinceAck = 0;
    if (this.flow && this.term) this.sendAck(this.term, this.seq);
  }

  /** Acks after a quarter of the window, or once everything received is drawn (the hub may be waiting on it). */
  private maybeAck(seq: number): void {
    if (!this.flow || !this.term || seq !== this.seq) return;
    if (this.drawnSinceAck >= this.flow.window / 4 || this.drawing === 0) this.sendAck(this.term, seq);
  }

  private sendAck(term: string, seq: number): void {
    this.drawnSinceAck = 0;
    // qos 0, unconfirmed: a lost ack is covered by the next one (acks are cumulative), or by the hub's stall rule.
    this.hub
      .send?.(AppType.TERM_ACK, { term, seq }, 0, UNCONFIRMED)
      .catch(logFailure("terminal ack not sent (the next one covers it)", { term, seq }, "debug"));
  }

  async input(data: string): Promise<void> {
    if (!this.term || this.view.phase !== "open" || data === "") return;
    const term = this.term;
    // Keystrokes at network speed: qos 0 `term.in` (the envelope's id makes the hub apply it once), unconfirmed:
    // the relay's answer would cost the echo a message and a wake-up here. When the desktop is not connected
    // (presence says so) they go as the qos 1 call instead, which the relay keeps until it is.
    if (this.flow && this.hub.send && this.hub.status?.().peerOnline !== false) {
      try {
        await this.hub.send(AppType.TERM_IN, { term, data }, 0, UNCONFIRMED);
        return;
      } catch {
        // Not sent: the call below carries it.
      }
    }
    try {
      await this.hub.call("term.input", { term: this.term, data });
    } catch (e) {
      this.update({ error: describeError(e) });
    }
  }

  /**
   * Tells the hub the size this screen fits (while no shell is open, keeps it for when one opens). The pty takes it
   * only while this phone holds the size (it typed last, or `claim`s it: docs/protocol.md section 11, "Terminal
   * size"); the answer says the pty's size now.
   */
  async resize(cols: number, rows: number, claim = false): Promise<void> {
    this.fits = { cols, rows };
    if (!this.term || this.view.phase !== "open") return;
    const term = this.term;
    try {
      const now = await this.hub.call("term.resize", { term, cols, rows, ...(claim ? { claim } : {}) });
      if (now.cols !== undefined && now.rows !== undefined && this.term === term)
        this.setSize({ term, cols: now.cols, rows: now.rows, by: now.by ?? this.me });
    } catch (e) {
      this.update({ error: describeError(e) });
    }
  }

  /** Tells the hub the size kept in `fits`, once a shell has opened (after an approval, or a refit meanwhile). */
  private refit(): Promise<void> {
    return this.fits ? this.resize(this.fits.cols, this.fits.rows) : Promise.resolve();
  }

  /** The pty's size and who holds it, as last heard (a `term.size` push or a resize answer); null until then. */
  get size(): TermSizePush | null {
    return this.ptySize && this.ptySize.term === this.term ? this.ptySize : null;
  }

  onSize(listener: (size: TermSizePush) => void): () => void {
    this.sizeListeners.add(listener);
    return () => this.sizeListeners.delete(listener);
  }

  private setSize(size: TermSizePush): void {
    this.ptySize = size;
    for (const l of [...this.sizeListeners]) l(size);
  }

  /** Closes the attached shell on the desktop (a pending request is withdrawn with `tasks.cancel`). */
  async close(): Promise<void> {
    const term = this.term;
    const pending = this.view.phase === "awaiting_approval" ? this.view.task : null;
    this.term = null;
    this.update(EMPTY);
    try {
      if (pending) await this.hub.call("tasks.cancel", { task: pending.id });
      else if (term) await this.hub.call("term.close", { term });
    } catch {
      // The terminal may already be gone on the hub; nothing left to do.
    }
  }

  private update(patch: Partial<TerminalView>): void {
    this.view = { ...this.view, ...patch };
    for (const l of [...this.listeners]) l(this.view);
  }
}
