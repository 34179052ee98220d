import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { QuestionQueue } from "./question-queue";

function setup(terminal = false) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (b: Buffer) => (printed += b.toString()));
  return { input, q: new QuestionQueue(input, output, { terminal }), printed: () => printed };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("QuestionQueue on a pipe", () => {
  it("asks one question at a time and reads one line per answer", async () => {
    const { input, q, printed } = setup();
    const a = q.ask("a", "first?");
    const b = q.ask("b", "second?");
    expect(printed()).toBe("first? [y/N] ");
    input.write("y\n");
    expect(await a).toBe("yes");
    expect(printed()).toContain("second? [y/N] ");
    input.write("nope\n");
    expect(await b).toBe("no");
  });

  it("keeps lines that arrive early from a pipe, and answers no once input ends", async () => {
    const { input, q } = setup();
    input.write("yes\n");
    await tick();
    expect(await q.ask("a", "early?")).toBe("yes");
    input.end();
    await tick();
    expect(await q.ask("b", "after the end?")).toBe("no");
  });

  it("drops a waiting question that was settled elsewhere without showing it", async () => {
    const { input, q, printed } = setup();
    const a = q.ask("a", "first?");
    const b = q.ask("b", "stale?");
    q.withdraw("b", "(settled elsewhere)");
    expect(await b).toBe("withdrawn");
    input.write("y\n");
    expect(await a).toBe("yes");
    expect(printed()).not.toContain("stale?");
  });

  it("replaces an open prompt settled elsewhere with a line, shows the next at once, and gives it the next answer", async () => {
    const { input, q, printed } = setup();
    const a = q.ask("a", "Pair?");
    const b = q.ask("b", "Run it?");
    q.withdraw("a", "(answered on the phone)");
    expect(await a).toBe("withdrawn");
    expect(printed()).toBe("Pair? [y/N] \n(answered on the phone)\nRun it? [y/N] ");
    input.write("y\n");
    expect(await b).toBe("yes");
  });

  it("prints a line around an open prompt, then shows the prompt again", () => {
    const { q, printed } = setup();
    void q.ask("a", "context line\nRun it?");
    q.print("Task 1234: running");
    expect(printed()).toBe("context line\nRun it? [y/N] \nTask 1234: running\nRun it? [y/N] ");
  });
});

describe("QuestionQueue on a terminal (readline owns the line)", () => {
  it("redraws the prompt and the half-typed answer after a log line, and that answer counts", async () => {
    const { input, q, printed } = setup(true);
    const a = q.ask("a", "Run it?");
    input.write("y");
    await tick();
    q.print("a log line");
    const out = printed();
    const log = out.lastIndexOf("a log line");
    expect(log).toBeGreaterThan(out.indexOf("Run it? [y/N] "));
    // After the log line: the prompt again, with the y typed so far.
    expect(out.slice(log)).toContain("Run it? [y/N] y");
    input.write("\r");
    expect(await a).toBe("yes");
  });

  it("drops a half-typed answer meant for a withdrawn question, so it cannot answer the next one", async () => {
    const { input, q, printed } = setup(true);
    const a = q.ask("a", "First?");
    const b = q.ask("b", "Second?");
    input.write("y");
    await tick();
    q.withdraw("a", "(answered in the web UI)");
    expect(await a).toBe("withdrawn");
    expect(printed()).toContain("(answered in the web UI)\n");
    input.write("\r");
    expect(await b).toBe("no");
  });
});
