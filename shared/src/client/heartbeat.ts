import type { IntervalHandle } from "./timers";

/**
 * Client heartbeats (docs/protocol.md section 4): one HEARTBEAT per interval.
 * If the relay has not acknowledged the previous one when the next is due,
 * the connection is a zombie (a half-open TCP link, a sleeping laptop's
 * Wi-Fi) and `dead` is called so the client can drop it and resume.
 */
export class Heartbeat {
  private timer: IntervalHandle | undefined;
  private acked = true;

  constructor(
    private readonly beat: () => void,
    private readonly dead: () => void,
  ) {}

  start(intervalMs: number): void {
    this.stop();
    this.acked = true;
    this.timer = setInterval(() => {
      if (!this.acked) return this.dead();
      this.acked = false;
      this.beat();
    }, intervalMs);
  }

  /** The relay's HEARTBEAT_ACK. */
  ack(): void {
    this.acked = true;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
