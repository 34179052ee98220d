import { describe, expect, it } from "vitest";
import { DrainMarkerScanner } from "./drain-marker";

describe("DrainMarkerScanner", () => {
  it("passes output through and finds a marker split across chunks", () => {
    const s = new DrainMarkerScanner("N0nce");
    const marker = "\x1b]7770;N0nce;3\x07";
    const stream = `hello\r\n\x1b]0;title\x07world${marker}\r\n`;
    let text = "";
    let status: number | null = null;
    for (let i = 0; i < stream.length; i += 4) {
      const r = s.feed(stream.slice(i, i + 4));
      text += r.text;
      status = r.status ?? status;
    }
    expect(text).toBe("hello\r\n\x1b]0;title\x07world");
    expect(status).toBe(3);
    expect(s.done).toBe(true);
  });

  it("ignores markers with another nonce and returns held text on flush", () => {
    const s = new DrainMarkerScanner("abc");
    const r = s.feed("x\x1b]7770;zzz;0\x07y\x1b]77");
    expect(r).toEqual({ text: "x\x1b]7770;zzz;0\x07y", status: null });
    expect(s.flush()).toBe("\x1b]77");
  });
});
