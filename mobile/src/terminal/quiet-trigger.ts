/**
 * Fires once a stream of events has paused for `quietMs`, and at least every `busyMs` while it keeps coming.
 * The Terminal screen pokes it on every piece of output it draws and refetches its shell tabs when it fires:
 * what runs in a shell changes when a command is typed or ends, and both print something, so the tabs follow
 * within a moment of it, with no request at all while nothing happens.
 */
export class QuietTrigger {
  private quiet: ReturnType<typeof setTimeout> | undefined;
  private busy: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly quietMs: number,
    private readonly busyMs: number,
    private readonly onFire: () => void,
  ) {}

  /** Something happened: fire after `quietMs` without another poke (or `busyMs` after the first of a run). */
  poke(): void {
    clearTimeout(this.quiet);
    this.quiet = setTimeout(() => this.fire(), this.quietMs);
    this.busy ??= setTimeout(() => this.fire(), this.busyMs);
  }

  dispose(): void {
    clearTimeout(this.quiet);
    clearTimeout(this.busy);
    this.quiet = this.busy = undefined;
  }

  private fire(): void {
    this.dispose();
    this.onFire();
  }
}
