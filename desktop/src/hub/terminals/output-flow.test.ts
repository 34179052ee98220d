import { randomBytes, sealEnvelope } from "@neural-link/shared/crypto";
import { PROTOCOL_DEFAULTS } from "@neural-link/shared/protocol";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_FLOW_BUDGET,
  type FlowBudget,
  flowBudget,
  OUTPUT_FLOW_DEFAULTS,
  OutputFlow,
  type OutputFlowSettings,
} from "./output-flow";

type Sent = { owner: string; term: string; seq: number; data: string | Uint8Array };

// The budget's clock is injected (the buckets are arithmetic); the stall rule uses a real short timer.
// A budget given here is fixed; without one, the flow's default (a relay at the protocol's defaults).
function setup(settings: Partial<OutputFlowSettings & FlowBudget> = {}) {
  const sent: Sent[] = [];
  const valve: string[] = [];
  let clock = 0;
  const { opsPerSecond, charsPerSecond, ...rest } = settings;
  const flow = new OutputFlow(
    // The window fixed at highWaterChars unless a test gives windowMs.
    { ...OUTPUT_FLOW_DEFAULTS, windowMs: 0, ...rest },
    (owner, term, seq, data) => sent.push({ owner, term, seq, data }),
    { pause: (t) => valve.push(`pause ${t}`), resume: (t) => valve.push(`resume ${t}`) },
    () => clock,
    () => ({
      opsPerSecond: opsPerSecond ?? DEFAULT_FLOW_BUDGET.opsPerSecond,
      charsPerSecond: charsPerSecond ?? DEFAULT_FLOW_BUDGET.charsPerSecond,
    }),
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

  it("cuts frames to twice what one op of the budget carries, so no frame is much larger than the pace needs", async () => {
    // 3.2 Mi chars/s over 100 ops/s: ~32 Ki per op, frames of at most ~64 Ki although 256 Ki are allowed.
    const { flow, sent, advance } = setup({ opsPerSecond: 100, charsPerSecond: 3_200_000 });
    flow.open("t1", "phone");
    for (let i = 0; i < 40; i++) flow.push("t1", "y".repeat(32 * 1024));
    for (let i = 0; i < 20 && chars(sent) < 40 * 32 * 1024; i++) {
      advance(100);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(chars(sent)).toBe(40 * 32 * 1024);
    expect(Math.max(...sent.map((s) => s.data.length))).toBe(64_000);
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

  it("at the default sizes and a fast relay's budget, every frame of the costliest output seals under the relay's body limit", () => {
    // A 128 MiB/s relay: frames reach maxFrameChars (480 Ki), and are cut by maxFrameBytes where their
    // JSON (escapes: 6 bytes a character) or their UTF-8 (emoji: 4 bytes for 2) would pass it.
    const fast = flowBudget(OUTPUT_FLOW_DEFAULTS, { opsPerSecond: 200, bytesPerSecond: 128 * 1024 * 1024 });
    const key = randomBytes(32);
    const inner = { v: 1 as const, id: "A".repeat(22), from: "B".repeat(43), to: "C".repeat(43), ts: Date.now() };
    for (const bytes of [false, true]) {
      const { flow, sent } = setup({ ...fast, windowMs: 100 });
      flow.open("t1", "phone");
      if (bytes) flow.cut("t1", true);
      flow.push("t1", "\u001b😀—".repeat(200_000));
      flow.push("t1", "y".repeat(2_000_000));
      expect(Math.max(...sent.map((f) => f.data.length))).toBeGreaterThan(256 * 1024);
      for (const f of sent) {
        const d = { term: "t1", seq: f.seq, data: f.data };
        const envelope = sealEnvelope(key, { ...inner, t: "term.output", d });
        expect(envelope.length).toBeLessThanOrEqual(PROTOCOL_DEFAULTS.maxBodyBytes);
      }
      flow.dispose();
    }
  });

  it("a viewer that asked for bytes gets each frame as UTF-8, cut under the byte limit between characters", () => {
    const { flow, sent } = setup({ maxFrameChars: 1000, maxFrameBytes: 1000 });
    flow.open("t1", "phone");
    flow.push("t1", "before ");
    expect(flow.cut("t1", true)).toBe(1);
    // Three-byte characters and surrogate pairs (4 bytes for 2), ESC as one byte: 900 characters, 2,100 bytes.
    const text = "—\u001b😀".repeat(225);
    flow.push("t1", text);
    expect(sent.length).toBeGreaterThan(2);
    expect(sent[0]!.data).toBe("before ");
    const frames = sent.slice(1).map((x) => x.data);
    for (const f of frames) {
      expect(f).toBeInstanceOf(Uint8Array);
      expect((f as Uint8Array).length).toBeLessThanOrEqual(1000);
      // Each frame decodes on its own: no character is split between frames.
      expect(() => new TextDecoder("utf-8", { fatal: true }).decode(f as Uint8Array)).not.toThrow();
    }
    expect(frames.map((f) => Buffer.from(f as Uint8Array).toString("utf8")).join("")).toBe(text);
    // Nothing waits: every byte went out.
    expect(flow.backlog("t1")).toMatchObject({ unacked: 0, pending: 0 });
    // A later snapshot without bytes turns text back on.
    flow.cut("t1");
    flow.push("t1", "after");
    expect(sent.at(-1)!.data).toBe("after");
    flow.dispose();
  });

  it("a faster link gets a larger window: windowMs of its budget, between the floor and the cap", () => {
    const at = (charsPerSecond: number) => {
      const { flow } = setup({ windowMs: 100, charsPerSecond });
      const w = flow.window();
      flow.dispose();
      return w;
    };
    expect(at(DEFAULT_FLOW_BUDGET.charsPerSecond)).toBe(OUTPUT_FLOW_DEFAULTS.highWaterChars); // the defaults' pace
    expect(at(12 * 1024 * 1024)).toBe(Math.floor(1.2 * 1024 * 1024));
    expect(at(80 * 1024 * 1024)).toBe(OUTPUT_FLOW_DEFAULTS.maxHighWaterChars);
    // The pty pauses at the larger window, not at the floor.
    const { flow, valve } = setup({ windowMs: 100, charsPerSecond: 12 * 1024 * 1024 });
    flow.open("t1", "phone");
    flow.ack("t1", "phone", 0);
    flow.push("t1", "x".repeat(OUTPUT_FLOW_DEFAULTS.highWaterChars + 1));
    expect(valve).toEqual([]);
    flow.push("t1", "x".repeat(1024 * 1024));
    expect(valve).toEqual(["pause t1"]);
    flow.dispose();
  });

  it("follows the connection's pace: a budget that grows lets more through in the same time", async () => {
    let pace = { opsPerSecond: 180, bytesPerSecond: 1000 };
    const sent: Sent[] = [];
    let clock = 0;
    const flow = new OutputFlow(
      { ...OUTPUT_FLOW_DEFAULTS, maxFrameChars: 100 },
      (owner, term, seq, data) => sent.push({ owner, term, seq, data }),
      { pause: () => {}, resume: () => {} },
      () => clock,
      () => flowBudget(OUTPUT_FLOW_DEFAULTS, pace),
    );
    flow.open("t1", "phone");
    // One second of the injected clock in ten steps, the waiting timer let through at each.
    const sentInOneSecond = async () => {
      const before = chars(sent);
      flow.push("t1", "x".repeat(20_000));
      for (let i = 0; i < 10; i++) {
        clock += 100;
        await new Promise((r) => setTimeout(r, 5));
      }
      flow.cut("t1");
      return chars(sent) - before;
    };
    const slow = await sentInOneSecond();
    pace = { opsPerSecond: 180, bytesPerSecond: 10_000 }; // a relay announcing ten times the bytes
    const fast = await sentInOneSecond();
    expect(fast / slow).toBeGreaterThan(5);
    expect(flowBudget(OUTPUT_FLOW_DEFAULTS, pace).opsPerSecond).toBe(99); // 0.55 of the 180 ops/s pace
    flow.dispose();
  });
});
