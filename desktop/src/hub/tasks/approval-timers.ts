/** Longest delay setTimeout takes; a later expiry is re-armed when this one fires. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * One timer per task awaiting approval, firing when its approval expires (the service
 * then rejects the task with end_reason "approval_expired"). Timers are unref'd, so
 * they never keep the process alive, and all are cleared at shutdown.
 *
 * @example timers.arm(task.id, task.approvalExpiresAt); timers.disarm(task.id);
 */
export class ApprovalTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly now: () => number,
    private readonly onExpired: (task: string) => void,
  ) {}

  arm(task: string, expiresAt: number): void {
    if (this.stopped) return;
    this.disarm(task);
    const wait = Math.max(0, expiresAt - this.now());
    const timer = setTimeout(
      () => {
        this.timers.delete(task);
        if (wait > MAX_DELAY_MS) this.arm(task, expiresAt);
        else this.onExpired(task);
      },
      Math.min(wait, MAX_DELAY_MS),
    );
    timer.unref();
    this.timers.set(task, timer);
  }

  disarm(task: string): void {
    clearTimeout(this.timers.get(task));
    this.timers.delete(task);
  }

  /** Clears every timer; later `arm` calls do nothing. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
