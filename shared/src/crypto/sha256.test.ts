import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Sha256, sha256Hex } from "./sha256";

const node = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("Sha256", () => {
  it("matches FIPS 180-4 examples", () => {
    expect(sha256Hex(new Uint8Array())).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex(new TextEncoder().encode("abc"))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  it("agrees with node:crypto for every length around block edges, fed in uneven pieces", () => {
    const data = randomBytes(1000);
    for (const n of [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 999]) {
      const h = new Sha256();
      for (let i = 0; i < n; i += 7) h.update(data.subarray(i, Math.min(n, i + 7)));
      expect(Buffer.from(h.digest()).toString("hex")).toBe(node(data.subarray(0, n)));
    }
  });

  it("agrees on 3 MiB fed in 256 KiB chunks", () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const h = new Sha256();
    for (let i = 0; i < data.length; i += 256 * 1024) h.update(data.subarray(i, i + 256 * 1024));
    expect(Buffer.from(h.digest()).toString("hex")).toBe(node(data));
  });
});
