import { randomBytes } from "node:crypto";

/**
 * Guarantees that a one-shot task's last output is read before it exits.
 *
 * node-pty reports an exit and then gives the pty only 200 ms to drain before it drops
 * whatever is still unread; on a busy machine the tail of a large output (the error
 * message, usually) was lost. So the command runs inside a small wrapper that, when
 * the command is done, prints a marker carrying a per-run nonce and the exit status,
 * then waits for one line on its input. The hub sees the marker only after reading
 * everything printed before it, acknowledges it, and the wrapper exits with the
 * command's status. Output after the marker (the echo of the acknowledgement) is
 * discarded, and the marker itself never reaches the task's output.
 *
 * If the command ends the shell itself (`exit 3`), no marker comes and the run falls
 * back to the plain exit path.
 */

/** The wrapper; the command and nonce are passed as arguments, never spliced into the script. */
export const DRAIN_WRAPPER = `__nl_c=$1; __nl_n=$2; shift 2; eval "$__nl_c"; __nl_s=$?; printf '\\033]7770;%s;%s\\007' "$__nl_n" "$__nl_s"; IFS= read -r __nl_ack; exit "$__nl_s"`;

export function newNonce(): string {
  return randomBytes(9).toString("base64url");
}

/** Finds the marker in a stream of decoded output chunks. */
export class DrainMarkerScanner {
  private readonly prefix: string;
  private carry = "";
  private found = false;

  constructor(nonce: string) {
    this.prefix = `\x1b]7770;${nonce};`;
  }

  get done(): boolean {
    return this.found;
  }

  /**
   * Feeds a chunk; returns the text that belongs to the command's output, and the
   * status once the complete marker has been seen.
   */
  feed(chunk: string): { text: string; status: number | null } {
    if (this.found) return { text: "", status: null };
    const buf = this.carry + chunk;
    const at = buf.indexOf(this.prefix);
    if (at >= 0) {
      const end = buf.indexOf("\x07", at + this.prefix.length);
      if (end < 0) {
        this.carry = buf.slice(at);
        return { text: buf.slice(0, at), status: null };
      }
      this.found = true;
      this.carry = "";
      const status = Number(buf.slice(at + this.prefix.length, end));
      return { text: buf.slice(0, at), status: Number.isInteger(status) ? status : 1 };
    }
    // Hold back a tail that could be the start of a marker split across chunks.
    let keep = 0;
    for (let n = Math.min(this.prefix.length - 1, buf.length); n > 0; n--) {
      if (this.prefix.startsWith(buf.slice(buf.length - n))) {
        keep = n;
        break;
      }
    }
    this.carry = buf.slice(buf.length - keep);
    return { text: buf.slice(0, buf.length - keep), status: null };
  }

  /** Whatever was held back, for when the process ended without a marker. */
  flush(): string {
    const rest = this.found ? "" : this.carry;
    this.carry = "";
    return rest;
  }
}
