/**
 * Lets a service stop cleanly: every operation and background job it starts is
 * tracked, `close()` refuses new operations and waits until the tracked ones have
 * settled, so nothing writes to the store after the owner closes it.
 *
 * @example const gate = new WorkGate(); await gate.run(() => doWrite()); await gate.close();
 */
export class WorkGate {
  private stopping = false;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly refuse: () => Error) {}

  /** True once `close()` has been called. */
  get closing(): boolean {
    return this.stopping;
  }

  /** Runs an operation the owner asked for; throws the refusal error once closing. */
  async run<T>(op: () => Promise<T>): Promise<T> {
    if (this.stopping) throw this.refuse();
    const p = op();
    this.hold(p);
    return p;
  }

  /**
   * Tracks a background job the service started itself (it may begin while closing:
   * an operation that was already running may still start one). Its failure is the
   * job's own business: the gate only waits for it.
   */
  hold(job: Promise<unknown>): void {
    const tracked = job.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(tracked);
    void tracked.then(() => this.pending.delete(tracked));
  }

  /** Refuses new operations and resolves once every tracked one has settled, including jobs they start meanwhile. */
  async close(): Promise<void> {
    this.stopping = true;
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
