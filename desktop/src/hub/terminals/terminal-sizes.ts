import { SizePolicy, type TermSize } from "./size-policy";

/** A change of a pty's size: the new size and the viewer holding it (a device id, or "desktop"). */
export interface SizeChange {
  term: string;
  cols: number;
  rows: number;
  by: string;
}

interface Ports {
  /** Resizes the pty (TerminalManager.resize; it validates the size and throws on a bad one). */
  apply(term: string, size: TermSize): void;
  /** Tells the viewers: the desktop UI's event and the owning device's `term.size` push. */
  changed(change: SizeChange): void;
}

/**
 * The size policy (size-policy.ts) wired to the ptys: every viewer's
 * `term.resize` and every keystroke passes here, and the pty is resized only
 * when the policy says so (docs/protocol.md section 11, "Terminal size").
 */
export class TerminalSizes {
  private readonly policy = new SizePolicy();

  constructor(private readonly ports: Ports) {}

  opened(term: string, by: string, size: TermSize): void {
    this.policy.open(term, by, size);
  }

  closed(term: string): void {
    this.policy.close(term);
  }

  /** `by` typed: it holds the size now; the pty takes its screen's size before the keystrokes are written. */
  typed(term: string, by: string): void {
    const next = this.policy.input(term, by);
    if (next) this.apply(term, next);
  }

  /** A viewer's screen fits `size`; returns the pty's size and holder afterwards. */
  resized(term: string, by: string, size: TermSize, claim: boolean): SizeChange | null {
    const next = this.policy.resize(term, by, size, claim);
    if (next) this.apply(term, next);
    return this.current(term);
  }

  current(term: string): SizeChange | null {
    const c = this.policy.current(term);
    return c ? { term, cols: c.size.cols, rows: c.size.rows, by: c.holder } : null;
  }

  private apply(term: string, size: TermSize): void {
    this.ports.apply(term, size);
    const now = this.current(term);
    if (now) this.ports.changed(now);
  }
}
