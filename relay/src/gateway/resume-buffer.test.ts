import { describe, expect, it } from "vitest";
import { ResumeBuffer } from "./resume-buffer";

const fill = (buffer: ResumeBuffer, from: number, to: number, size = 10) => {
  for (let s = from; s <= to; s++) buffer.push({ s, text: "x".repeat(size) });
};

describe("ResumeBuffer", () => {
  it("returns the events after seq, or none when nothing was missed", () => {
    const buffer = new ResumeBuffer(100, 10_000);
    fill(buffer, 1, 5);
    expect(buffer.after(2, 5)!.map((e) => e.s)).toEqual([3, 4, 5]);
    expect(buffer.after(0, 5)!.map((e) => e.s)).toEqual([1, 2, 3, 4, 5]);
    expect(buffer.after(5, 5)).toEqual([]);
  });

  it("refuses a seq ahead of the session", () => {
    const buffer = new ResumeBuffer(100, 10_000);
    fill(buffer, 1, 5);
    expect(buffer.after(6, 5)).toBeNull();
  });

  it("keeps at most maxEvents, then refuses seqs no longer covered", () => {
    const buffer = new ResumeBuffer(3, 10_000);
    fill(buffer, 1, 3000);
    expect(buffer.size).toBe(3);
    expect(buffer.after(2997, 3000)!.map((e) => e.s)).toEqual([2998, 2999, 3000]);
    expect(buffer.after(2996, 3000)).toBeNull();
  });

  it("keeps at most maxBytes, but always the newest event", () => {
    const buffer = new ResumeBuffer(100, 25);
    fill(buffer, 1, 5);
    expect(buffer.size).toBe(2);
    buffer.push({ s: 6, text: "y".repeat(100) });
    expect(buffer.after(5, 6)!.map((e) => e.s)).toEqual([6]);
  });
});
