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
});
