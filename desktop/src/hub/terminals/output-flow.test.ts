import { describe, expect, it } from "vitest";
import { OUTPUT_FLOW_DEFAULTS, OutputFlow, type OutputFlowSettings } from "./output-flow";

type Sent = { owner: string; term: string; seq: number; data: string };

// The budget's clock is injected (the buckets are arithmetic); the stall rule uses a real short timer.
function setup(settings: Partial<OutputFlowSettings> = {}) {
  const sent: Sent[] = [];
  const valve: string[] = [];
  let clock = 0;
  const flow = new OutputFlow(
    { ...OUTPUT_FLOW_DEFAULTS, ...settings },
    (owner, term, seq, data) => sent.push({ owner, term, seq, data }),
    { pause: (t) => valve.push(`pause ${t}`), resume: (t) => valve.push(`resume ${t}`) },
    () => clock,
  );
  return { flow, sent, valve, advance: (ms: number) => (clock += ms) };
}
const chars = (sent: Sent[]) => sent.reduce((n, s) => n + s.data.length, 0);

describe("OutputFlow", () => {
  it("sends at once within budget (leading edge), numbered per terminal from 1", () => {
    const { flow, sent } = setup();
    flow.open("t1", "phone");
    flow.push("t1", "hello");
    flow.push("t1", " world");
    expect(sent).toEqual([
      { owner: "phone", term: "t1", seq: 1, data: "hello" },
      { owner: "phone", term: "t1", seq: 2, data: " world" },
    ]);
    flow.dispose();
  });

  it("merges a backlog into few frames and never passes the op budget", async () => {
    const { flow, sent, advance } = setup({ opsPerSecond: 50, charsPerSecond: 1_000_000, maxFrameChars: 1000 });
    flow.open("t1", "phone");
    for (let i = 0; i < 100; i++) flow.push("t1", "x".repeat(100));
    expect(sent).toHaveLength(5); // the bucket holds a tenth of a second: 5 ops
    for (let i = 0; i < 10; i++) {
      advance(200);
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(chars(sent)).toBe(10_000);
    expect(sent.length).toBeLessThanOrEqual(15);
    expect(sent.map((s) => s.seq)).toEqual(sent.map((_, i) => i + 1));
    flow.dispose();
  });

  it("a viewer that never acks: its backlog is dropped past the cap and one number skipped", () => {
    const { flow, sent, valve } = setup({ opsPerSecond: 10, maxBufferedChars: 50 });
    flow.open("t1", "phone");
    flow.push("t1", "a");
    flow.push("t1", "b".repeat(30));
    flow.push("t1", "c".repeat(30));
    expect(sent.map((s) => s.seq)).toEqual([1]);
    flow.push("t1", "d");
    expect(flow.cut("t1")).toBe(3);
    expect(valve).toEqual([]); // never paused for a viewer that does not ack
    flow.dispose();
  });

  it("a viewer that acks: the pty pauses above the high watermark and resumes at the low one; nothing is dropped", () => {
    const { flow, sent, valve } = setup({
      highWaterChars: 1000,
      lowWaterChars: 400,
      maxFrameChars: 300,
      charsPerSecond: 1e9,
      opsPerSecond: 1e6,
      framesAhead: 2,
    });
    flow.open("t1", "phone");
    expect(flow.ack("t1", "phone", 0)).toBe(true);
    for (let i = 0; i < 11; i++) flow.push("t1", "y".repeat(100));
    expect(valve).toEqual(["pause t1"]);
    // Two frames at once, then whole frames of 300 while two are in flight; the last 100 waits.
    expect(sent.map((x) => x.data.length)).toEqual([100, 100, 300, 300, 300]);
    expect(flow.backlog("t1")).toMatchObject({ unacked: 1100, pending: 0, paused: true, flow: true });
    flow.ack("t1", "phone", 3); // 500 drawn: 600 still out, above the low mark
    expect(valve).toEqual(["pause t1"]);
    flow.ack("t1", "phone", 5); // all drawn: reading resumes
    expect(valve).toEqual(["pause t1", "resume t1"]);
    expect(chars(sent)).toBe(1100);
    expect(flow.ack("t1", "someone-else", 11)).toBe(false);
    expect(flow.ack("t1", "phone", 99)).toBe(false);
    flow.dispose();
  });

  it("a viewer that acks: output merges while a frame is in flight and leaves as one frame on its ack", () => {
    const { flow, sent } = setup({ framesAhead: 2 });
    flow.open("t1", "phone");
    flow.ack("t1", "phone", 0);
    flow.push("t1", "a"); // nothing in flight: at once
    flow.push("t1", "b"); // one in flight: still at once (framesAhead 2)
    flow.push("t1", "c");
    flow.push("t1", "d");
    expect(sent.map((x) => x.data)).toEqual(["a", "b"]);
    flow.ack("t1", "phone", 1);
    expect(sent.map((x) => x.data)).toEqual(["a", "b", "cd"]);
    flow.dispose();
  });

  it("a viewer that stops acking: the pty runs on, its output is dropped, and once it catches up a skipped number sends it to a snapshot", async () => {
    const { flow, sent, valve } = setup({
      highWaterChars: 200,
      lowWaterChars: 100,
      stallMs: 30,
      charsPerSecond: 1e9,
      opsPerSecond: 1e6,
      framesAhead: 2,
    });
    flow.open("t1", "phone");
    flow.ack("t1", "phone", 0);
    for (let i = 0; i < 3; i++) flow.push("t1", "z".repeat(100));
    expect(valve).toEqual(["pause t1"]);
    await new Promise((r) => setTimeout(r, 80));
    expect(valve).toEqual(["pause t1", "resume t1"]);
    flow.push("t1", "dropped while behind");
    // Two pieces at once; the third merged, and dropped with the viewer (nothing is sent to it once behind).
    expect(sent.map((s) => s.seq)).toEqual([1, 2]);
    flow.ack("t1", "phone", 2);
    expect(sent.at(-1)).toMatchObject({ seq: 4, data: "" });
    expect(flow.cut("t1")).toBe(4);
    flow.push("t1", "fresh");
    expect(sent.at(-1)).toMatchObject({ seq: 5, data: "fresh" });
    flow.dispose();
  });

  it("a lost ack: merged output of a running stream goes anyway after stallMs", async () => {
    const { flow, sent } = setup({ stallMs: 30, framesAhead: 1 });
    flow.open("t1", "phone");
    flow.ack("t1", "phone", 0);
    flow.push("t1", "a");
    flow.push("t1", "b"); // waits for the ack of "a", which never comes
    expect(sent.map((x) => x.data)).toEqual(["a"]);
    await new Promise((r) => setTimeout(r, 80));
    expect(sent.map((x) => x.data)).toEqual(["a", "b"]);
    flow.dispose();
  });

  it("cuts a frame whose JSON would pass the byte limit (escapes cost 6 bytes each)", () => {
    const { flow, sent } = setup({ maxFrameChars: 1000, maxFrameBytes: 1000 });
    flow.open("t1", "phone");
    flow.push("t1", "\u001b".repeat(900));
    expect(sent.length).toBeGreaterThan(1);
    for (const s of sent) expect(Buffer.byteLength(JSON.stringify(s.data))).toBeLessThanOrEqual(1000);
    expect(chars(sent)).toBe(900);
    flow.dispose();
  });
});
