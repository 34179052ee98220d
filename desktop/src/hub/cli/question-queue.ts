import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";

interface Pending {
  text: string;
  resolve(yes: boolean): void;
  /** Still worth asking: false once the question was settled elsewhere (expired, answered in the UI). */
  open(): boolean;
}

/**
 * Asks the person at the terminal yes/no questions, one at a time, reading
 * answers line by line. Works with a TTY and with a pipe: from a pipe, lines
 * that arrive before their question wait for it; from a TTY a stray early
 * Enter is ignored. Once input has ended, every question is answered no.
 */
export class QuestionQueue {
  private readonly rl: Interface;
  private readonly queue: Pending[] = [];
  private readonly early: string[] = [];
  private current: Pending | null = null;
  private ended = false;

  constructor(
    input: Readable & { isTTY?: boolean },
    private readonly output: Writable,
  ) {
    this.rl = createInterface({ input, terminal: false });
    this.rl.on("line", (line) => {
      if (this.current) this.settle(/^\s*y(es)?\s*$/i.test(line));
      else if (!input.isTTY) this.early.push(line);
    });
    this.rl.on("close", () => {
      this.ended = true;
      if (this.current) {
        this.output.write("\n(input has ended: answering no)\n");
        this.settle(false);
      }
    });
  }

  /** Resolves true only for an answer of y or yes. */
  ask(text: string, open: () => boolean = () => true): Promise<boolean> {
    return new Promise((resolve) => {
      this.queue.push({ text, resolve, open });
      this.pump();
    });
  }

  close(): void {
    this.rl.close();
  }

  private pump(): void {
    while (!this.current && this.queue.length > 0) {
      const next = this.queue.shift()!;
      if (!next.open()) {
        next.resolve(false);
        continue;
      }
      this.current = next;
      this.output.write(`${next.text} [y/N] `);
      const line = this.early.shift();
      if (line !== undefined) {
        this.output.write(`${line}\n`);
        this.settle(/^\s*y(es)?\s*$/i.test(line));
      } else if (this.ended) {
        this.output.write("\n(input has ended: answering no)\n");
        this.settle(false);
      }
    }
  }

  private settle(yes: boolean): void {
    const c = this.current;
    this.current = null;
    c?.resolve(yes && c.open());
    this.pump();
  }
}
