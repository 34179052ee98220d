import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ResumeBuffer } from "./resume-buffer";

const fill = (buffer: ResumeBuffer, from: number, to: number, size = 10) => {
  for (let s = from; s <= to; s++) buffer.push(s, `${s}:`.padEnd(size, "x"));
};
/** The `s` of each JSON event (made by fill). */
const seqs = (events: (string | Buffer)[] | null) => events!.map((e) => Number(String(e).split(":")[0]));

/** A binary FRAME stand-in of `length` bytes whose first 4 bytes are `s`. */
function binary(buffer: ResumeBuffer, s: number, length: number): Buffer {
  const bytes = randomBytes(length);
  bytes.writeUInt32BE(s, 0);
  const place = buffer.appendBinary(s, length);
  bytes.copy(place);
  return bytes;
}

describe("ResumeBuffer", () => {
  it("returns the events after seq, or none when nothing was missed", () => {
    const buffer = new ResumeBuffer(100, 10_000);
    fill(buffer, 1, 5);
    expect(seqs(buffer.after(2, 5))).toEqual([3, 4, 5]);
    expect(seqs(buffer.after(0, 5))).toEqual([1, 2, 3, 4, 5]);
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
    expect(seqs(buffer.after(2997, 3000))).toEqual([2998, 2999, 3000]);
    expect(buffer.after(2996, 3000)).toBeNull();
  });

  it("keeps at most maxBytes, but always the newest event", () => {
    const buffer = new ResumeBuffer(100, 25);
    fill(buffer, 1, 5);
    expect(buffer.size).toBe(2);
    buffer.push(6, "6:".padEnd(100, "y"));
    expect(seqs(buffer.after(5, 6))).toEqual([6]);
  });

  it("refuses an event that does not follow the previous one (sequence numbers have no gaps)", () => {
    const buffer = new ResumeBuffer(100, 10_000);
    fill(buffer, 1, 2);
    expect(() => buffer.push(4, "4:")).toThrow(/does not follow/);
  });

  it("replays binary FRAMEs byte for byte, mixed with JSON events, across chunk boundaries and drops", () => {
    // Sizes around the chunk sizes (4 KiB doubling to 64 KiB), and one larger than any chunk.
    const sizes = [100, 3000, 1500, 4096, 70_000, 4, 66, 9000, 20_000, 40_000, 1090];
    const buffer = new ResumeBuffer(40, 300_000);
    const kept = new Map<number, string | Buffer>();
    for (let s = 1; s <= 400; s++) {
      if (s % 7 === 0) {
        const text = `${s}:json`;
        buffer.push(s, text);
        kept.set(s, text);
      } else kept.set(s, binary(buffer, s, sizes[s % sizes.length]!));
      const covered = buffer.after(s - buffer.size, s)!;
      expect(covered).toHaveLength(buffer.size);
      // Every event still kept comes back as it was written, in order.
      covered.forEach((event, i) => {
        const expected = kept.get(s - buffer.size + 1 + i)!;
        // Buffer.equals: vitest's deep equality walks big Buffers byte by byte, far too slowly.
        expect(
          typeof expected === "string" ? event === expected : Buffer.isBuffer(event) && event.equals(expected),
        ).toBe(true);
      });
    }
    expect(buffer.size).toBeLessThanOrEqual(40);
    expect(buffer.after(400 - buffer.size - 1, 400)).toBeNull();
  });

  it("lays a FRAME that exactly fills the rest of a chunk in that chunk, and finds it there when dropping and replaying", () => {
    // The first chunk is 4 KiB: 1000 + 1000 + 1000 + 1096 fill it exactly; 100 starts the next one.
    const sizes = [1000, 1000, 1000, 1096, 100, 8192 - 100, 50, 3000];
    const buffer = new ResumeBuffer(3, 1_000_000);
    const written: Buffer[] = [];
    sizes.forEach((size, i) => {
      written.push(binary(buffer, i + 1, size));
      const s = i + 1;
      const covered = buffer.after(s - buffer.size, s)!;
      covered.forEach((event, j) => expect((event as Buffer).equals(written[s - buffer.size + j]!)).toBe(true));
    });
  });

  it("a FRAME view handed out stays intact after its event is dropped (chunks are never written again)", () => {
    const buffer = new ResumeBuffer(2, 1_000_000);
    const first = buffer.appendBinary(1, 1000);
    first.fill(0xab);
    const copy = Buffer.from(first);
    for (let s = 2; s <= 500; s++) binary(buffer, s, 1000);
    expect(first.equals(copy)).toBe(true);
  });

  it("lets go of FRAME bytes once no FRAME is kept", () => {
    const buffer = new ResumeBuffer(3, 1_000_000);
    for (let s = 1; s <= 200; s++) binary(buffer, s, 1000);
    fill(buffer, 201, 203);
    expect(buffer.size).toBe(3);
    expect(seqs(buffer.after(200, 203))).toEqual([201, 202, 203]);
    // The next FRAME is kept and replayed as usual.
    const next = binary(buffer, 204, 500);
    const replayed = buffer.after(203, 204)!;
    expect(replayed).toHaveLength(1);
    expect(Buffer.isBuffer(replayed[0]) && replayed[0].equals(next)).toBe(true);
  });
});
