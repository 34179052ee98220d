/**
 * Who sets a terminal's size when several screens show it (the desktop UI
 * and the phone that opened it). A pty has one size; if every viewer
 * resized it to its own screen whenever that screen changed, two open
 * viewers would resize it back and forth and each redraw would garble the
 * other's screen (VibeTunnel's most reported bug).
 *
 * The rule (docs/protocol.md section 11, "Terminal size"): the viewer that
 * typed last holds the size. Every viewer reports the size its screen fits
 * (`term.resize`); the pty takes it only from the holder. A viewer that
 * types becomes the holder, and the pty takes the size that viewer last
 * reported, before its input is written. The opener holds it first. A
 * viewer may also take it without typing (`term.resize` with `claim`, the
 * "Fit to this screen" button). The other viewers draw the pty's size as it
 * is (scrollable, or scaled down), and never resize it by being looked at.
 *
 * Viewers are actors: a device id, or "desktop" for the desktop UI.
 * Pure bookkeeping: the caller resizes the pty with what it returns.
 */

export interface TermSize {
  cols: number;
  rows: number;
}

interface Entry {
  /** The pty's size now. */
  size: TermSize;
  /** The actor whose screen sets the size. */
  holder: string;
  /** The size each viewer's screen fits, as it last reported. */
  wanted: Map<string, TermSize>;
}

const same = (a: TermSize, b: TermSize) => a.cols === b.cols && a.rows === b.rows;

export class SizePolicy {
  private readonly terms = new Map<string, Entry>();

  /** A terminal opened by `actor` at `size`: the opener holds the size. */
  open(term: string, actor: string, size: TermSize): void {
    this.terms.set(term, { size: { ...size }, holder: actor, wanted: new Map([[actor, { ...size }]]) });
  }

  close(term: string): void {
    this.terms.delete(term);
  }

  /** The pty's size and who holds it, or null for an unknown terminal. */
  current(term: string): { size: TermSize; holder: string } | null {
    const e = this.terms.get(term);
    return e ? { size: { ...e.size }, holder: e.holder } : null;
  }

  /**
   * `actor`'s screen now fits `size`. Returns the size the pty must take,
   * or null when it stays as it is (the actor does not hold the size, or
   * nothing changed). With `claim` the actor takes the size first.
   */
  resize(term: string, actor: string, size: TermSize, claim = false): TermSize | null {
    const e = this.terms.get(term);
    if (!e) return null;
    e.wanted.set(actor, { ...size });
    if (claim) e.holder = actor;
    return e.holder === actor ? this.adopt(e, size) : null;
  }

  /**
   * `actor` typed into the terminal: it holds the size from now on. Returns
   * the size the pty must take first (the one this actor's screen fits),
   * or null when the pty already has it or the actor never reported one.
   */
  input(term: string, actor: string): TermSize | null {
    const e = this.terms.get(term);
    if (!e) return null;
    e.holder = actor;
    const wanted = e.wanted.get(actor);
    return wanted ? this.adopt(e, wanted) : null;
  }

  private adopt(e: Entry, size: TermSize): TermSize | null {
    if (same(e.size, size)) return null;
    e.size = { ...size };
    return { ...size };
  }
}
