import { describe, expect, it } from "vitest";
import { WorkGate } from "./work-gate";

const later = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe("WorkGate", () => {
  it("closes only after tracked work, including jobs held while closing, has settled", async () => {
    const gate = new WorkGate(() => new Error("closed"));
    const order: string[] = [];
    const op = gate.run(async () => {
      await later(20);
      // Started by an operation already under way: the gate waits for it too.
      gate.hold(later(30).then(() => order.push("job")));
      order.push("op");
      return 7;
    });
    gate.hold(Promise.reject(new Error("a job's own failure")));
    const closing = gate.close().then(() => order.push("closed"));
    expect(gate.closing).toBe(true);
    await expect(gate.run(async () => 1)).rejects.toThrow("closed");
    expect(await op).toBe(7);
    await closing;
    expect(order).toEqual(["op", "job", "closed"]);
  });

  it("closes at once when idle", async () => {
    const gate = new WorkGate(() => new Error("closed"));
    await expect(gate.run(async () => "x")).resolves.toBe("x");
    await gate.close();
    await expect(gate.run(async () => "y")).rejects.toThrow("closed");
  });
});
