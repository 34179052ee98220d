import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { QuestionQueue } from "./question-queue";

function setup() {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (b: Buffer) => (printed += b.toString()));
  return { input, q: new QuestionQueue(input, output), printed: () => printed };
}

describe("QuestionQueue", () => {
  it("asks one question at a time and reads one line per answer", async () => {
    const { input, q, printed } = setup();
    const a = q.ask("first?");
    const b = q.ask("second?");
    expect(printed()).toBe("first? [y/N] ");
    input.write("y\n");
    expect(await a).toBe(true);
    expect(printed()).toContain("second? [y/N] ");
    input.write("nope\n");
    expect(await b).toBe(false);
  });

  it("keeps lines that arrive early from a pipe, and answers no once input ends", async () => {
    const { input, q } = setup();
    input.write("yes\n");
    await new Promise((r) => setImmediate(r));
    expect(await q.ask("early?")).toBe(true);
    input.end();
    await new Promise((r) => setImmediate(r));
    expect(await q.ask("after the end?")).toBe(false);
  });

  it("skips a question that was settled elsewhere before its turn", async () => {
    const { input, q, printed } = setup();
    let open = true;
    const a = q.ask("first?");
    const b = q.ask("stale?", () => open);
    open = false;
    input.write("y\n");
    expect(await a).toBe(true);
    expect(await b).toBe(false);
    expect(printed()).not.toContain("stale?");
  });
});
