import { clearLine, createInterface, cursorTo, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";

interface Pending {
  /** Identifies the question for `withdraw` (a pairing request id, a task id). */
  key: string;
  /** Lines shown before the prompt line. */
  preamble: string[];
  /** The prompt line, `[y/N]` included. */
  prompt: string;
  resolve(answer: Answer): void;
}

/** "yes"/"no" typed here; "withdrawn" when the question was settled elsewhere first. */
export type Answer = "yes" | "no" | "withdrawn";

const isYes = (line: string) => /^\s*y(es)?\s*$/i.test(line);

/**
 * Asks the person at the terminal yes/no questions, one at a time, and prints
 * every other line of the CLI around the open prompt.
 *
 * On a TTY, readline owns the line being typed: a log line clears the prompt,
 * prints, and draws the prompt again with what was typed so far, so output
 * never lands inside a prompt and a typed `y` is never lost. A question
 * answered elsewhere (the phone, the web UI) is withdrawn at once: its prompt
 * is replaced by a line saying so, any half-typed answer to it is dropped
 * (it was meant for that question), and the next question shows.
 *
 * From a pipe, lines that arrive before their question wait for it (tests and
 * scripts answer ahead). Once input has ended, every question is answered no.
 */
export class QuestionQueue {
  private readonly rl: Interface;
  private readonly terminal: boolean;
  private readonly queue: Pending[] = [];
  private readonly early: string[] = [];
  private current: Pending | null = null;
  private ended = false;

  constructor(
    input: Readable & { isTTY?: boolean },
    private readonly output: Writable,
    opts: { terminal?: boolean } = {},
  ) {
    this.terminal = opts.terminal ?? input.isTTY === true;
    this.rl = this.terminal
      ? createInterface({ input, output, terminal: true, prompt: "" })
      : createInterface({ input, terminal: false });
    this.rl.on("line", (line) => {
      if (this.current) this.settle(isYes(line) ? "yes" : "no");
      else if (!this.terminal) this.early.push(line);
    });
    this.rl.on("close", () => {
      this.ended = true;
      if (this.current) {
        this.output.write("\n(input has ended: answering no)\n");
        this.settle("no");
      }
    });
    // Ctrl-C in readline's raw mode arrives as a key, not a signal: pass it on.
    this.rl.on("SIGINT", () => process.kill(process.pid, "SIGINT"));
  }

  /** Queues a question; resolves with the answer typed, or "withdrawn". The last line of `text` is the prompt. */
  ask(key: string, text: string): Promise<Answer> {
    const lines = text.split("\n");
    const prompt = `${lines.pop()} [y/N] `;
    return new Promise((resolve) => {
      this.queue.push({ key, preamble: lines, prompt, resolve });
      this.pump();
    });
  }

  /**
   * The question was settled elsewhere: drop it if it waits, or replace its
   * open prompt with `why` and move on to the next one.
   */
  withdraw(key: string, why: string): void {
    const i = this.queue.findIndex((p) => p.key === key);
    if (i >= 0) {
      this.queue.splice(i, 1)[0]!.resolve("withdrawn");
      return;
    }
    if (this.current?.key !== key) return;
    if (this.terminal) this.clearTyped();
    this.clearPrompt();
    this.output.write(`${why}\n`);
    const c = this.current;
    this.current = null;
    c.resolve("withdrawn");
    this.pump();
  }

  /** True while a question with this key is open or waiting. */
  has(key: string): boolean {
    return this.current?.key === key || this.queue.some((p) => p.key === key);
  }

  /** Prints a line (to `stream`, default the output) without breaking an open prompt. */
  print(line: string, stream: Writable = this.output): void {
    if (!this.current) {
      stream.write(line.endsWith("\n") ? line : `${line}\n`);
      return;
    }
    this.clearPrompt();
    stream.write(line.endsWith("\n") ? line : `${line}\n`);
    this.showPrompt(true);
  }

  close(): void {
    this.rl.close();
  }

  private pump(): void {
    while (!this.current && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.current = next;
      for (const l of next.preamble) this.output.write(`${l}\n`);
      this.showPrompt(false);
      const line = this.early.shift();
      if (line !== undefined) {
        this.output.write(`${line}\n`);
        this.settle(isYes(line) ? "yes" : "no");
      } else if (this.ended) {
        this.output.write("\n(input has ended: answering no)\n");
        this.settle("no");
      }
    }
  }

  private showPrompt(keepTyped: boolean): void {
    if (!this.current) return;
    if (this.terminal) {
      this.rl.setPrompt(this.current.prompt);
      this.rl.prompt(keepTyped);
    } else {
      this.output.write(this.current.prompt);
    }
  }

  /** Moves to the start of the prompt line and erases it (on a pipe: ends the line). */
  private clearPrompt(): void {
    if (this.terminal) {
      cursorTo(this.output, 0);
      clearLine(this.output, 0);
    } else {
      this.output.write("\n");
    }
  }

  /** Forgets what was typed after the prompt, without drawing anything. */
  private clearTyped(): void {
    this.rl.setPrompt("");
    Object.assign(this.rl, { line: "", cursor: 0 });
  }

  private settle(answer: Answer): void {
    const c = this.current;
    this.current = null;
    if (this.terminal) this.rl.setPrompt("");
    c?.resolve(answer);
    this.pump();
  }
}
