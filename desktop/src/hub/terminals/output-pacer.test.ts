import { describe, expect, it } from "vitest";
import { OutputPacer, PACER_DEFAULTS } from "./output-pacer";

type Sent = { owner: string; term: string; seq: number; data: string };

function setup(settings: Partial<typeof PACER_DEFAULTS> = {}) {
  const sent: Sent[] = [];
  let clock = 0;
  const pacer = new OutputPacer({ ...PACER_DEFAULTS, ...settings }, (owner, term, seq, data) => sent.push({ owner, term, seq, data }), () => clock);
  return { pacer, sent, advance: (ms: number) => (clock += ms) };
}

describe("OutputPacer", () => {
  it("sends at once within budget, numbered per terminal from 1", () => {
    const { pacer, sent } = setup();
    pacer.open("t1", "phone");
    pacer.push("t1", "hello");
    pacer.push("t1", " world");
    expect(sent).toEqual([
      { owner: "phone", term: "t1", seq: 1, data: "hello" },
      { owner: "phone", term: "t1", seq: 2, data: " world" },
    ]);
    pacer.dispose();
  });

  it("merges a flood into few large frames and never passes the op budget", async () => {
    const { pacer, sent, advance } = setup({ opsPerSecond: 50, charsPerSecond: 1_000_000, maxFrameChars: 1000 });
    pacer.open("t1", "phone");
    // The bucket holds 5 ops: the first five pieces go alone, the rest wait and merge.
    for (let i = 0; i < 100; i++) pacer.push("t1", "x".repeat(100));
    expect(sent).toHaveLength(5);
    for (let i = 0; i < 10; i++) {
      advance(200);
      await new Promise((r) => setTimeout(r, 25));
    }
    const total = sent.reduce((n, s) => n + s.data.length, 0);
    expect(total).toBe(10_000);
    expect(sent.length).toBeLessThanOrEqual(15);
    expect(sent.map((s) => s.seq)).toEqual(sent.map((_, i) => i + 1));
    expect(Math.max(...sent.map((s) => s.data.length))).toBeLessThanOrEqual(1000);
    pacer.dispose();
  });

  it("drops a backlog past its cap and skips a number, and a snapshot cut does the same", () => {
    const { pacer, sent } = setup({ opsPerSecond: 10, maxBufferedChars: 50 });
    pacer.open("t1", "phone");
    pacer.push("t1", "a"); // seq 1, the only op in the bucket
    pacer.push("t1", "b".repeat(30));
    pacer.push("t1", "c".repeat(30)); // 60 waiting > 50: dropped, seq 2 skipped
    expect(sent.map((s) => s.seq)).toEqual([1]);
    pacer.push("t1", "d");
    expect(pacer.cut("t1")).toBe(3);
    pacer.close("t1");
    pacer.push("t1", "ignored");
    expect(sent).toHaveLength(1);
    pacer.dispose();
  });
});
