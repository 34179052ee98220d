import { AppType } from "@neural-link/shared/app";
import type { Logger } from "pino";
import { DESKTOP_ACTOR, type AuditLog } from "../audit-log";
import type { TerminalInfo as UiTerminalInfo, TerminalSnapshot } from "../api";
import { ExecutorError } from "../executor/errors";
import type { TerminalInfo, TerminalManager } from "./pty-terminals";
import { HubError } from "../hub-error";
import type { HubEmitter } from "../hub-events";
import type { HubLink } from "../link/hub-link";
import { type FlowBudget, flowBudget, OUTPUT_FLOW_DEFAULTS, OutputFlow, type OutputFlowSettings } from "./output-flow";
import { TerminalSizes, type SizeChange } from "./terminal-sizes";

/** Maps the executor's refusals onto the hub's error codes; anything else stays internal. */
export function hubErrorOf(err: unknown): unknown {
  if (!(err instanceof ExecutorError)) return err;
  switch (err.code) {
    case "bad_request":
    case "bad_cwd":
      return new HubError("bad_params", err.message);
    case "not_found":
      return new HubError("not_found", err.message);
    case "limit_reached":
      return new HubError("conflict", err.message);
    case "spawn_failed":
      return new HubError("internal", err.message);
    default: {
      const never: never = err.code;
      return new HubError("internal", String(never));
    }
  }
}

async function mapped<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw hubErrorOf(err);
  }
}

/**
 * Terminals for the desktop and for paired devices. A device sees and
 * touches only the terminals it opened; the desktop sees all. Output goes
 * to the UI and, for a device's terminal, to that device as qos 0
 * `term.output` frames numbered per terminal: a phone that sees a gap, or
 * reconnects, asks for `term.snapshot`. Exit is a qos 1 `term.exit`. A phone
 * that acks (`term.ack`) clocks its terminal's output (OutputFlow, docs/protocol.md
 * section 11 "Terminal flow").
 */
export class TerminalService {
  /** Set by closeAll: the hub is stopping and its link is about to close. */
  private stopping = false;
  private readonly log: Logger;
  private readonly pacer: OutputFlow;
  /** Approved terminals whose task waits for their exit. */
  private readonly exitWaiters = new Map<string, (exitCode: number) => void>();
  /** Who sets each pty's size: the viewer that typed last (docs/protocol.md section 11, "Terminal size"). */
  private readonly sizes: TerminalSizes;

  constructor(
    private readonly terms: TerminalManager,
    private readonly link: HubLink,
    private readonly events: HubEmitter,
    private readonly audit: AuditLog,
    log: Logger,
    private readonly snapshotMaxChars: number,
    private readonly flow: OutputFlowSettings = OUTPUT_FLOW_DEFAULTS,
  ) {
    this.log = log.child({ mod: "hub/terminals" });
    this.sizes = new TerminalSizes({
      apply: (term, s) => terms.resize(term, s.cols, s.rows),
      changed: (c) => this.sizeChanged(c),
    });
    this.pacer = new OutputFlow(
      flow,
      (owner, term, seq, data) => {
        // Not sent to an offline device: the skipped number makes it fetch a snapshot when back.
        if (!this.link.isOnline(owner)) return;
        this.link.send(owner, AppType.TERM_OUTPUT, { term, seq, data }, 0, { confirm: false }).catch((err: unknown) => {
          this.log.debug({ err: String(err) }, "term.output not sent");
        });
      },
      { pause: (term) => terms.pause(term), resume: (term) => terms.resume(term) },
      undefined,
      () => this.budget(),
    );
    terms.onOutput((e) => {
      this.events.emit("terminal.output", { id: e.id, seq: e.seq, data: e.data });
      const owner = this.ownerOf(e.id);
      if (owner && owner !== DESKTOP_ACTOR && !this.stopping) this.pacer.push(e.id, e.data, e.bytes);
    });
    terms.onExit((e) => {
      this.events.emit("terminal.exit", { id: e.id, exitCode: e.exitCode });
      this.exitWaiters.get(e.id)?.(e.exitCode);
      this.exitWaiters.delete(e.id);
      this.sizes.closed(e.id);
      if (!this.stopping)
        void this.audit
          .record("hub", "terminal.exited", e.id, { owner: e.owner, exitCode: e.exitCode })
          .catch((err: unknown) =>
            this.log.error({ term: e.id, err: String(err) }, "terminal exit not written to the audit log"),
          );
      // While the hub stops, the link is about to close: nothing more is sent to phones.
      if (e.owner !== DESKTOP_ACTOR && !this.stopping) {
        this.link.send(e.owner, AppType.TERM_EXIT, { term: e.id, exit_code: e.exitCode }, 1).catch((err: unknown) => {
          this.log.info({ err: String(err) }, "term.exit not queued");
        });
      }
    });
  }

  /** `screen`: which of the owner's screens opened it (a desktop window, see `desktopScreen`); it holds the size first. */
  async open(
    owner: string,
    p: { cols: number; rows: number; cwd?: string },
    screen = owner,
  ): Promise<{ id: string; seq: number }> {
    const { id } = await mapped(() => this.terms.open({ owner, cols: p.cols, rows: p.rows, cwd: p.cwd ?? null }));
    this.sizes.opened(id, screen, p);
    if (owner !== DESKTOP_ACTOR) this.pacer.open(id, owner);
    await this.audit.record(owner, "terminal.opened", id, p.cwd ? { cwd: p.cwd } : undefined);
    // A device counts frames from the pacer, the desktop UI events from the executor.
    return { id, seq: owner === DESKTOP_ACTOR ? this.terms.snapshot(id).seq : 0 };
  }

  /**
   * Opens the pty of an approved terminal task (tasks/ports.ts TerminalOpener) under the
   * id the phone already holds; `done` resolves when it exits, `cancel` closes it.
   */
  async openApproved(req: {
    term: string;
    owner: string;
    cols: number;
    rows: number;
    cwd: string | null;
  }): Promise<{ done: Promise<{ exitCode: number }>; cancel(): void }> {
    const done = new Promise<{ exitCode: number }>((resolve) =>
      this.exitWaiters.set(req.term, (exitCode) => resolve({ exitCode })),
    );
    try {
      await mapped(() =>
        this.terms.open({ id: req.term, owner: req.owner, cols: req.cols, rows: req.rows, cwd: req.cwd }),
      );
    } catch (err) {
      this.exitWaiters.delete(req.term);
      throw err;
    }
    if (req.owner !== DESKTOP_ACTOR) this.pacer.open(req.term, req.owner);
    this.sizes.opened(req.term, req.owner, req);
    await this.audit.record(req.owner, "terminal.opened", req.term, {
      approved: true,
      ...(req.cwd ? { cwd: req.cwd } : {}),
    });
    return {
      done,
      cancel: () => {
        this.pacer.close(req.term);
        void this.terms
          .close(req.term)
          .catch((err: unknown) =>
            this.log.warn({ term: req.term, err: String(err) }, "cancelled terminal did not close"),
          );
      },
    };
  }

  /** `screen`: the screen typed on (a desktop window, see `desktopScreen`); by default the actor's one. */
  async input(actor: string, id: string, data: string, screen = actor): Promise<void> {
    this.check(actor, id);
    await mapped(() => {
      // The typist holds the size: its screen's size first, then its keystrokes (size-policy.ts).
      this.sizes.typed(id, screen);
      this.terms.input(id, data);
    });
  }

  /**
   * `actor`'s screen fits cols×rows. The pty takes it only while `actor`
   * holds the size (it typed last, or `claim`s it); returns the pty's size
   * and holder afterwards.
   */
  async resize(
    actor: string,
    id: string,
    cols: number,
    rows: number,
    claim = false,
    screen = actor,
  ): Promise<SizeChange | null> {
    this.check(actor, id);
    return forDevices(await mapped(() => this.sizes.resized(id, screen, { cols, rows }, claim)));
  }

  /** The name of the program in the terminal's foreground (the shell itself at its prompt), or null. */
  foreground(id: string): string | null {
    return this.terms.foreground(id);
  }

  /** The pty's size and who holds it, for a device's snapshot or list: the desktop's windows are one "desktop". */
  size(id: string): SizeChange | null {
    return forDevices(this.sizes.current(id));
  }

  /** The same for the desktop UI: `by` names the window holding it (`desktopScreen`), so each can tell if it is. */
  uiSize(id: string): SizeChange | null {
    return this.sizes.current(id);
  }

  /** Tells the desktop UI, and the device that owns the terminal, that the pty changed size. */
  private sizeChanged(c: SizeChange): void {
    this.events.emit("terminal.resized", { id: c.term, cols: c.cols, rows: c.rows, by: c.by });
    const owner = this.ownerOf(c.term);
    if (!owner || owner === DESKTOP_ACTOR || this.stopping || !this.link.isOnline(owner)) return;
    // qos 0 like the output it goes with; a phone that misses it learns the size from its next resize or snapshot.
    this.link
      .send(owner, AppType.TERM_SIZE, forDevices(c), 0, { confirm: false })
      .catch((err: unknown) => this.log.debug({ err: String(err) }, "term.size not sent"));
  }

  async close(actor: string, id: string): Promise<void> {
    this.check(actor, id);
    await mapped(() => this.terms.close(id));
    this.pacer.close(id);
    this.sizes.closed(id);
    await this.audit.record(actor, "terminal.closed", id);
  }

  /**
   * The scrollback, and the number of the last output it holds. For a
   * device, output still waiting in the pacer is in the snapshot, so it is
   * dropped there: the next frame the device gets follows the snapshot.
   */
  /**
   * The rates all terminal output to devices shares now: from the relay connection's live pace, so a relay
   * announcing higher limits (docs/protocol.md section 4) makes terminals faster with no setting of the hub's.
   */
  budget(): FlowBudget {
    return flowBudget(this.flow, this.link.pace());
  }

  /**
   * The screen's text and the number it stands for. A device is offered terminal flow: it may ack, and type with
   * term.in; with `bytes` it gets the output that follows as UTF-8 bytes (docs/protocol.md section 11).
   */
  snapshot(
    actor: string,
    id: string,
    opts: { bytes?: boolean } = {},
  ): TerminalSnapshot & { open: boolean; flow?: { window: number }; bytes?: true } {
    const info = this.check(actor, id);
    const snap = this.terms.snapshot(id);
    const device = info.owner !== DESKTOP_ACTOR && actor !== DESKTOP_ACTOR;
    const bytes = device && opts.bytes === true;
    const seq = device ? this.pacer.cut(id, bytes) : snap.seq;
    return {
      id,
      seq,
      data: snap.data.slice(-this.snapshotMaxChars),
      open: !info.exited,
      ...(device ? { flow: { window: this.pacer.window() } } : {}),
      ...(bytes ? { bytes: true as const } : {}),
    };
  }

  /**
   * A device drew its terminal's output up to `seq` (`term.ack`); false when it does not fit (not its terminal, a
   * number never sent).
   */
  ack(actor: string, id: string, seq: number): boolean {
    return this.pacer.ack(id, actor, seq);
  }

  /** Every terminal for the desktop; a device's own for a device. */
  list(actor: string): TerminalInfo[] {
    return this.terms.list(actor === DESKTOP_ACTOR ? undefined : actor);
  }

  toUi(t: TerminalInfo, ownerName: string): UiTerminalInfo {
    return { id: t.id, title: `${ownerName} (${t.pid})`, cols: t.cols, rows: t.rows, owner: t.owner, alive: !t.exited };
  }

  /** A revoked device's terminals end with it. */
  async closeOwnedBy(device: string): Promise<void> {
    await Promise.all(
      this.terms.list(device).map((t) => {
        this.pacer.close(t.id);
        // One terminal that fails to close must not keep the others open.
        return this.terms
          .close(t.id)
          .catch((err: unknown) =>
            this.log.warn({ term: t.id, device, err: String(err) }, "terminal of a revoked device did not close"),
          );
      }),
    );
  }

  closeAll(): Promise<void> {
    this.stopping = true;
    this.pacer.dispose();
    return this.terms.closeAll();
  }

  private ownerOf(id: string): string | null {
    try {
      return this.terms.info(id).owner;
    } catch {
      return null;
    }
  }

  /** A device may touch only its own terminals; another's looks exactly like a missing one. */
  private check(actor: string, id: string): TerminalInfo {
    let info: TerminalInfo;
    try {
      info = this.terms.info(id);
    } catch (err) {
      throw hubErrorOf(err);
    }
    if (actor !== DESKTOP_ACTOR && info.owner !== actor) throw new HubError("not_found", `no terminal ${id}`);
    return info;
  }
}

/**
 * The size-policy viewer of one desktop window: each window of the desktop UI (the app's, a browser tab in web
 * mode) is its own screen, so two of them at different sizes do not resize the pty back and forth; without a
 * screen id all of them count as one, "desktop".
 */
export function desktopScreen(screen: string | undefined): string {
  return screen ? `${DESKTOP_ACTOR}:${screen}` : DESKTOP_ACTOR;
}

/** A size change as devices are told it: any desktop window is "desktop" (docs/protocol.md section 11). */
function forDevices(c: SizeChange | null): SizeChange | null {
  return c && c.by.startsWith(`${DESKTOP_ACTOR}:`) ? { ...c, by: DESKTOP_ACTOR } : c;
}
