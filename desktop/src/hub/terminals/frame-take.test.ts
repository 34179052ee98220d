import { describe, expect, it } from "vitest";
import { takeBytes, takeText } from "./frame-take";

const utf8 = new TextEncoder();
const waiting = (pieces: (string | Uint8Array)[]) => ({
  pending: [...pieces],
  pendingUnits: pieces.reduce((n, p) => n + p.length, 0),
});

describe("taking a frame off a stream", () => {
  it("bytes: cuts between characters, takes a whole first character past a tiny budget, and keeps the count", () => {
    const text = "a—😀b";
    const s = waiting([utf8.encode(text)]); // 1 + 3 + 4 + 1 bytes
    const sizes: number[] = [];
    const out: Uint8Array[] = [];
    // A budget of 2 bytes at a time: "a", then the dash (3 > 2, but a frame is never empty), and so on.
    while (s.pending.length > 0 && s.pending[0]!.length > 0) {
      const { data, units } = takeBytes(s, 2, 1000);
      expect(units).toBe(data.length);
      sizes.push(units);
      out.push(data);
    }
    expect(sizes).toEqual([1, 3, 4, 1]);
    expect(Buffer.concat(out).toString("utf8")).toBe(text);
    expect(s.pendingUnits).toBe(0);
    // Several pieces merge into one frame up to the limit, stopping before a character that would pass it.
    const many = waiting([utf8.encode("ab"), utf8.encode("—"), utf8.encode("cd")]);
    expect(Buffer.from(takeBytes(many, 1000, 4).data).toString("utf8")).toBe("ab");
    expect(Buffer.from(takeBytes(many, 1000, 4).data).toString("utf8")).toBe("—c");
    expect(Buffer.from(takeBytes(many, 1000, 4).data).toString("utf8")).toBe("d");
  });

  it("text: never splits a surrogate pair, even with a budget of one character", () => {
    const s = waiting(["😀x"]);
    expect(takeText(s, 1, 1000)).toEqual({ data: "😀", units: 2 });
    expect(takeText(s, 1, 1000)).toEqual({ data: "x", units: 1 });
    expect(s.pendingUnits).toBe(0);
  });
});
