import { termExitSchema, termOutputSchema } from "@neural-link/shared/app";
import type { HubCaller, Push } from "../connection/hub-link";
import { describeError } from "../stores/errors";

/** Where the terminal's text goes: xterm.js in the app, an array in tests. */
export interface TerminalScreen {
  /** Clears the screen and scrollback before a snapshot is drawn. */
  reset(): void;
  write(data: string): void;
}

export type TerminalPhase = "closed" | "opening" | "open" | "exited" | "error";

export interface TerminalView {
  phase: TerminalPhase;
  term: string | null;
  error: string | null;
  exitCode: number | null;
}

/**
 * One remote terminal. `term.output` pushes travel as qos 0 with a
 * per-terminal `seq` that rises by one per push; the hub's `term.open` and
 * `term.snapshot` report the seq of the last output they cover. A push that
 * skips a number means output was lost (the phone was offline, or the relay
 * dropped it): the session fetches `term.snapshot`, redraws the screen from
 * it, and carries on from its seq. Reconnecting does the same, which is also
 * how scrollback comes back.
 */
export class TerminalSession {
  private term: string | null = null;
  private seq = 0;
  private snapshotting: Promise<void> | null = null;
  /** Output that arrived while a snapshot was on its way; replayed past the snapshot's seq. */
  private held: { seq: number; data: string }[] = [];
  private view: TerminalView = { phase: "closed", term: null, error: null, exitCode: null };
  private readonly listeners = new Set<(view: TerminalView) => void>();

  constructor(
    private readonly hub: HubCaller,
    private readonly screen: TerminalScreen,
  ) {}

  get current(): TerminalView {
    return this.view;
  }

  onChange(listener: (view: TerminalView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Opens a new terminal, or reattaches to `existing` (kept from an earlier visit) by snapshot. */
  async open(cols: number, rows: number, existing?: string): Promise<void> {
    this.update({ phase: "opening", error: null, exitCode: null });
    try {
      if (existing) {
        this.term = existing;
        if (await this.fetchSnapshot(existing)) {
          if (this.view.phase === "open") await this.resize(cols, rows);
          return;
        }
        // The hub no longer has it (restarted, or closed meanwhile): start a fresh one.
      }
      const opened = await this.hub.call("term.open", { cols, rows });
      this.term = opened.term;
      this.seq = opened.seq;
      this.screen.reset();
      this.update({ phase: "open", term: opened.term, error: null });
    } catch (e) {
      this.term = null;
      this.update({ phase: "error", term: null, error: describeError(e) });
    }
  }

  /** Refetches the whole screen: after a gap in seq, or after reconnecting. */
  resync(): Promise<void> {
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

  private async fetchSnapshot(term: string): Promise<boolean> {
    try {
      const snap = await this.hub.call("term.snapshot", { term });
      if (this.term !== term) return false;
      this.screen.reset();
      this.screen.write(snap.data);
      this.seq = snap.seq;
      this.update(snap.open ? { phase: "open", term, error: null } : { phase: "exited", term, error: null });
      return true;
    } catch (e) {
      this.update({ phase: "error", error: describeError(e) });
      return false;
    }
  }

  handlePush(push: Push): void {
    if (push.t === "term.output") {
      const out = termOutputSchema.safeParse(push.d);
      if (!out.success || out.data.term !== this.term) return;
      // While a snapshot is on its way, output is judged against the snapshot's seq once it lands.
      if (this.snapshotting) this.held.push(out.data);
      else this.apply(out.data.seq, out.data.data);
    } else if (push.t === "term.exit") {
      const exit = termExitSchema.safeParse(push.d);
      if (exit.success && exit.data.term === this.term) this.update({ phase: "exited", exitCode: exit.data.exit_code });
    }
  }

  private apply(seq: number, data: string): void {
    if (seq <= this.seq) return; // already drawn (a duplicate, or covered by a snapshot)
    if (seq === this.seq + 1) {
      this.seq = seq;
      this.screen.write(data);
      return;
    }
    void this.resync();
  }

  async input(data: string): Promise<void> {
    if (!this.term || this.view.phase !== "open" || data === "") return;
    try {
      await this.hub.call("term.input", { term: this.term, data });
    } catch (e) {
      this.update({ error: describeError(e) });
    }
  }

  async resize(cols: number, rows: number): Promise<void> {
    if (!this.term || this.view.phase !== "open") return;
    try {
      await this.hub.call("term.resize", { term: this.term, cols, rows });
    } catch (e) {
      this.update({ error: describeError(e) });
    }
  }

  async close(): Promise<void> {
    const term = this.term;
    this.term = null;
    this.update({ phase: "closed", term: null, exitCode: null });
    if (!term) return;
    try {
      await this.hub.call("term.close", { term });
    } catch {
      // The terminal may already be gone on the hub; nothing left to do.
    }
  }

  private update(patch: Partial<TerminalView>): void {
    this.view = { ...this.view, ...patch };
    for (const l of [...this.listeners]) l(this.view);
  }
}
