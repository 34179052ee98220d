import { describe, expect, it } from "vitest";
import { completeUpTo, Utf8Chunks } from "./utf8-chunks";

const utf8 = new TextEncoder();

describe("Utf8Chunks", () => {
  it("re-cuts any reads at character boundaries: the pieces hold every byte, and each decodes as the stream does", () => {
    const alphabet = ["a", "\r\n", "é", "—", "✓", "😀", "\u001b[1m", "\uFEFF"];
    // Bytes that are not UTF-8 too: a stray continuation byte, a lead byte cut short, an invalid lead.
    const junk = [Uint8Array.of(0x80), Uint8Array.of(0xe2, 0x80), Uint8Array.of(0xff), Uint8Array.of(0xf0, 0x9f)];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 200; round++) {
      const parts: Uint8Array[] = [];
      for (let i = 0; i < 60; i++)
        parts.push(rand(10) === 0 ? junk[rand(junk.length)]! : utf8.encode(alphabet[rand(alphabet.length)]!));
      const whole = Buffer.concat(parts);
      const chunks = new Utf8Chunks();
      const pieces: Uint8Array[] = [];
      for (let at = 0; at < whole.length;) {
        const n = 1 + rand(9);
        pieces.push(chunks.push(whole.subarray(at, at + n)));
        at += n;
      }
      pieces.push(chunks.end());
      expect(Buffer.concat(pieces)).toEqual(whole);
      const streamed = new TextDecoder("utf-8", { ignoreBOM: true }).decode(whole);
      const each = new TextDecoder("utf-8", { ignoreBOM: true });
      expect(pieces.map((p) => each.decode(p)).join("")).toBe(streamed);
    }
  });

  it("holds back only a character that is cut short", () => {
    expect(completeUpTo(utf8.encode("ab"))).toBe(2);
    expect(completeUpTo(utf8.encode("a😀").subarray(0, 3))).toBe(1);
    expect(completeUpTo(utf8.encode("a—").subarray(0, 2))).toBe(1);
    expect(completeUpTo(utf8.encode("a😀"))).toBe(5);
    expect(completeUpTo(Uint8Array.of(0x61, 0x80, 0x80, 0x80))).toBe(4);
  });
});
