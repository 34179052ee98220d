import { describe, expect, it } from "vitest";
import { WritePacer } from "./write-pacer";

describe("WritePacer", () => {
  it("sends a burst at once, then holds the rest in order until the bucket refills", async () => {
    let clock = 0;
    const sent: string[] = [];
    const pacer = new WritePacer(
      () => ({ opsPerSecond: 10, opsBurst: 3, bytesPerSecond: 1000 }),
      (t) => sent.push(t as string),
      () => clock,
    );
    for (let i = 0; i < 6; i++) pacer.write(`m${i}`);
    expect(sent).toEqual(["m0", "m1", "m2"]);
    expect(pacer.waiting).toBe(3);
    clock += 200; // two more ops' worth
    await new Promise((r) => setTimeout(r, 150));
    expect(sent).toEqual(["m0", "m1", "m2", "m3", "m4"]);
    pacer.reset();
    expect(pacer.waiting).toBe(0);
  });

  it("also paces bytes, and still sends a message larger than the bucket", async () => {
    let clock = 0;
    const sent: string[] = [];
    const pacer = new WritePacer(
      () => ({ opsPerSecond: 1000, opsBurst: 100, bytesPerSecond: 10 }),
      (t) => sent.push(t as string),
      () => clock,
    );
    pacer.write("x".repeat(8));
    pacer.write("y".repeat(50));
    expect(sent).toEqual(["x".repeat(8)]);
    clock += 1000;
    await new Promise((r) => setTimeout(r, 1100));
    expect(sent).toEqual(["x".repeat(8), "y".repeat(50)]);
    pacer.reset();
  });
});
