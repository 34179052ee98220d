import { describe, expect, it } from "vitest";
import { NodeDirectory } from "./directory";

describe("NodeDirectory", () => {
  it("keeps the latest claim of each device, ends only the current one, and forgets a dead node's devices", () => {
    const d = new NodeDirectory("me");
    expect(d.seen("n1", 0)).toBe(true);
    expect(d.seen("n1", 10)).toBe(false);
    expect(d.seen("me", 10)).toBe(false);
    expect(d.claim("dev", { at: 5, node: "n1", n: 1 })).toBe(true);
    expect(d.claim("dev", { at: 4, node: "n2", n: 9 })).toBe(false);
    expect(d.locate("dev")).toBe("n1");
    expect(d.release("dev", { at: 4, node: "n2", n: 9 })).toBe(false);
    expect(d.claim("dev", { at: 6, node: "n2", n: 1 })).toBe(true);
    expect(d.release("dev", { at: 5, node: "n1", n: 1 })).toBe(false);
    expect(d.locate("dev")).toBe("n2");
    expect(d.claim("own", { at: 9, node: "me", n: 1 })).toBe(false);
    d.seen("n2", 100);
    expect(d.expired(2100, 2000)).toEqual(["n1"]);
    expect(d.recentNodes(1050, 1000)).toEqual(["n2"]);
    expect(d.forgetNode("n2")).toEqual(["dev"]);
    expect(d.locate("dev")).toBeUndefined();
    expect(d.liveNodes()).toEqual(["n1"]);
  });
});
