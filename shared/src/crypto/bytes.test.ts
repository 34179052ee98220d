import { describe, expect, it } from "vitest";
import { randomBytes } from "./bytes";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("randomBytes (ids and nonces, drawn from a pool)", () => {
  it("hands out every byte once: draws across many pool refills are all different and never the erased zeros", () => {
    const seen = new Set<string>();
    // 24-byte nonces and 16-byte ids interleaved: 4,000 draws cross the 4 KiB pool's edge ~40 times, at odd offsets.
    for (let i = 0; i < 4000; i++) {
      const b = randomBytes(i % 2 ? 24 : 16);
      expect(b.length).toBe(i % 2 ? 24 : 16);
      expect(b.some((x) => x !== 0)).toBe(true);
      seen.add(hex(b));
    }
    expect(seen.size).toBe(4000);
  });

  it("gives each caller its own copy, and serves large requests on their own", () => {
    const a = randomBytes(24);
    const before = hex(a);
    randomBytes(24).fill(0xff);
    expect(hex(a)).toBe(before);
    const big = randomBytes(200 * 1024);
    expect(big.length).toBe(200 * 1024);
    expect(new Set(big).size).toBeGreaterThan(200);
    expect(randomBytes(0).length).toBe(0);
  });
});
