import { describe, expect, it } from "vitest";
import { jsonStringBytes, utf8Length } from "./bytes";

const encoder = new TextEncoder();

describe("byte counts without encoding", () => {
  it("counts JSON.stringify's bytes and TextEncoder's, for any text", () => {
    // Controls, quotes, backslashes, 2- and 3-byte characters, pairs and lone surrogates, in random mixes.
    const alphabet = [
      "a",
      "\u001b",
      "\n",
      "\r",
      "\t",
      '"',
      "\\",
      "\u007f",
      "é",
      "—",
      "😀",
      "\ud800",
      "\udc00",
      "\u0000",
    ];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    for (let i = 0; i < 500; i++) {
      let text = "";
      for (let j = rand(40); j > 0; j--) text += alphabet[rand(alphabet.length)];
      expect(jsonStringBytes(text)).toBe(encoder.encode(JSON.stringify(text)).length);
      expect(utf8Length(text)).toBe(encoder.encode(text).length);
    }
  });
});
