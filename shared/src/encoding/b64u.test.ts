import { describe, expect, it } from "vitest";
import { b64uDecode, b64uEncode, isB64u } from "./b64u";
import { EncodingError } from "./errors";

describe("base64url", () => {
  it("matches RFC 4648 test vectors without padding", () => {
    const cases: [string, string][] = [
      ["", ""],
      ["f", "Zg"],
      ["fo", "Zm8"],
      ["foo", "Zm9v"],
      ["foob", "Zm9vYg"],
      ["fooba", "Zm9vYmE"],
      ["foobar", "Zm9vYmFy"],
    ];
    for (const [plain, encoded] of cases) {
      expect(b64uEncode(new TextEncoder().encode(plain))).toBe(encoded);
      expect(new TextDecoder().decode(b64uDecode(encoded))).toBe(plain);
    }
  });

  it("uses the url-safe alphabet", () => {
    expect(b64uEncode(new Uint8Array([0xfb, 0xff, 0xfe]))).toBe("-__-");
  });

  it("round-trips every length of random bytes", () => {
    for (let n = 0; n < 70; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(n));
      expect(b64uDecode(b64uEncode(bytes))).toEqual(bytes);
    }
  });

  it.each(["Zg==", "Zm9v+", "Zm9v/", "Z", "Zh", "a b", "Zm9v\n", "é"])("refuses %j", (text) => {
    expect(() => b64uDecode(text)).toThrow(EncodingError);
  });

  it("checks lengths", () => {
    expect(isB64u("A".repeat(43), 32)).toBe(true);
    expect(isB64u("A".repeat(42), 32)).toBe(false);
  });

  it("isB64u accepts exactly what the decoder accepts, and the length it decodes to", () => {
    // Canonical texts and near misses: one character changed anywhere (including outside the alphabet and the
    // trailing bits), one dropped, padding added.
    const texts: string[] = [];
    for (let n = 0; n < 40; n++) {
      const good = b64uEncode(crypto.getRandomValues(new Uint8Array(n)));
      texts.push(good, good + "=", good.slice(1));
      for (const ch of ["A", "B", "Q", "g", "_", "+", "=", " ", "é"]) {
        const at = Math.floor(Math.random() * Math.max(1, good.length));
        texts.push(good.slice(0, at) + ch + good.slice(at + 1), good.slice(0, -1) + ch);
      }
    }
    for (const text of texts) {
      let decoded: Uint8Array | null = null;
      try {
        decoded = b64uDecode(text);
      } catch (err) {
        expect(err).toBeInstanceOf(EncodingError);
      }
      expect(isB64u(text), text).toBe(decoded !== null);
      if (decoded !== null) {
        expect(b64uEncode(decoded)).toBe(text);
        expect(isB64u(text, decoded.length)).toBe(true);
        expect(isB64u(text, decoded.length + 1)).toBe(false);
      }
    }
  });
});
