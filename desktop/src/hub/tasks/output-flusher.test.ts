import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { OutputFlusher } from "./output-flusher";

function setup(flushMs: number, flushChars: number) {
  const writes: string[] = [];
  const lines: string[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void lines.push(line) });
  const repo = { appendOutput: async (_id: string, chunk: string) => void writes.push(chunk) };
  return { flusher: new OutputFlusher(repo, "t1", flushMs, flushChars, log), writes, lines };
}

describe("OutputFlusher", () => {
  it("batches chunks until the size limit or the timer", async () => {
    const { flusher, writes } = setup(20, 6);
    flusher.push("ab");
    flusher.push("cd");
    expect(writes).toEqual([]);
    flusher.push("efg");
    await flusher.flush();
    expect(writes).toEqual(["abcdefg"]);
    flusher.push("h");
    await expect.poll(() => writes).toEqual(["abcdefg", "h"]);
  });

  it("writes what waits on close, then drops later output quietly", async () => {
    const { flusher, writes, lines } = setup(10, 1000);
    flusher.push("tail");
    await flusher.close();
    expect(writes).toEqual(["tail"]);
    flusher.push("late");
    flusher.push("later");
    await new Promise((r) => setTimeout(r, 40));
    await flusher.flush();
    expect(writes).toEqual(["tail"]);
    const logged = lines.map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(logged.filter((l) => l.level >= 40)).toEqual([]);
    expect(logged.filter((l) => l.msg.includes("dropped"))).toHaveLength(1);
  });
});
