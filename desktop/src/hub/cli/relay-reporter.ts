import { RELAY_MISMATCH_CLOSE } from "@neural-link/shared/client";
import { FATAL_CLOSE_CODES } from "@neural-link/shared/protocol";

/** The link state the reporter needs: the gateway client's status and the URL it dials. */
export interface LinkStatus {
  state: "connecting" | "authenticating" | "online" | "offline" | "closed";
  lastError: string | null;
  lastCloseCode: number | null;
  url: string | null;
}

/**
 * Turns the relay link's state changes into lines for the person: the first
 * failed attempt at once with its cause, then a line whenever the cause
 * changes or the failures reach the next power of two (1, 2, 4, 8, ...
 * attempts), so a relay that stays down for hours prints a few dozen lines,
 * never one per retry. Coming online (again) is said once.
 */
export class RelayReporter {
  private failures = 0;
  private lastCause: string | null = null;
  private everOnline = false;
  private online = false;

  constructor(private readonly say: (line: string) => void) {}

  onStatus(s: LinkStatus): void {
    switch (s.state) {
      case "online":
        if (!this.online) this.say(this.everOnline ? "Connected to the relay again." : "Connected to the relay.");
        this.online = true;
        this.everOnline = true;
        this.failures = 0;
        this.lastCause = null;
        return;
      case "offline": {
        const cause = s.lastError ?? "connection lost";
        if (this.online) {
          this.online = false;
          this.say(`Lost the relay (${cause}); reconnecting...`);
          this.lastCause = cause;
          this.failures = 1;
          return;
        }
        this.failures++;
        const where = s.url ? ` at ${s.url}` : "";
        if (this.failures === 1) this.say(`Cannot reach the relay${where}: ${cause}. Retrying...`);
        else if (cause !== this.lastCause) this.say(`Still cannot reach the relay${where}: ${cause}. Retrying...`);
        else if ((this.failures & (this.failures - 1)) === 0)
          this.say(`Still cannot reach the relay${where} after ${this.failures} attempts: ${cause}. Retrying...`);
        this.lastCause = cause;
        return;
      }
      case "closed":
        // Also the state after a deliberate stop or relay change: only a refusal is news.
        if (s.lastCloseCode !== null && FATAL_CLOSE_CODES.has(s.lastCloseCode))
          this.say(`The relay refused this hub: ${s.lastError ?? s.lastCloseCode}. Not retrying.`);
        // This hub walked away: the relay's id is not the one it trusted (the text says what to do).
        else if (s.lastCloseCode === RELAY_MISMATCH_CLOSE)
          this.say(`Not connecting: ${s.lastError ?? "the relay id changed"}.`);
        this.online = false;
        return;
      case "connecting":
      case "authenticating":
        return;
      default: {
        const never: never = s.state;
        return never;
      }
    }
  }
}
