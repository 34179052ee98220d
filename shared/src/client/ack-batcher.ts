import type { TimeoutHandle } from "./timers";

/**
 * Collects ids of handled qos 1 frames and sends them as few ACKs: one per
 * `delayMs` window, or at once when `maxIds` are waiting. Ids wait while the
 * connection is down and go out after the next READY; ACKing an id the relay
 * no longer holds is harmless (docs/protocol.md section 5).
 */
export class AckBatcher {
  private ids: string[] = [];
  private timer: TimeoutHandle | undefined = undefined;

  constructor(
    private readonly settings: () => { ackDelayMs: number; ackMaxIds: number },
    private readonly sendAck: (ids: string[]) => boolean,
  ) {}

  add(id: string): void {
    this.ids.push(id);
    if (this.ids.length >= this.settings().ackMaxIds) this.flush();
    else if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), this.settings().ackDelayMs);
  }

  /** Sends what is waiting; keeps it if the connection cannot take it now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const max = this.settings().ackMaxIds;
    while (this.ids.length > 0) {
      const chunk = this.ids.slice(0, max);
      if (!this.sendAck(chunk)) return;
      this.ids = this.ids.slice(chunk.length);
    }
  }

  get waiting(): number {
    return this.ids.length;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
