import { describe, expect, it } from "vitest";
import { RendezvousRegistry } from "./rendezvous-registry";

const limits = { pairMaxTtlS: 600, pairMaxOpenPerDevice: 2, pairMaxRequests: 3 };

describe("RendezvousRegistry", () => {
  it("lets its opener renew it and only its opener close it", () => {
    const reg = new RendezvousRegistry(limits);
    reg.openFor("d", "r", 10, 0);
    reg.openFor("d", "r", 20, 5000);
    expect(reg.openerOf("r", 20_000)).toBe("d");
    expect(() => reg.close("x", "r", 0)).toThrow(expect.objectContaining({ code: "rendezvous_taken" }));
    reg.close("d", "r", 0);
    reg.close("d", "r", 0);
    expect(reg.size).toBe(0);
  });

  it("expires, and frees the opener's slot when it does", () => {
    const reg = new RendezvousRegistry(limits);
    reg.openFor("d", "r1", 1, 0);
    reg.openFor("d", "r2", 100, 0);
    expect(() => reg.openFor("d", "r3", 1, 0)).toThrow(expect.objectContaining({ code: "too_many_rendezvous" }));
    expect(() => reg.request("r1", 1000)).toThrow(expect.objectContaining({ code: "rendezvous_closed" }));
    reg.openFor("d", "r3", 1, 1000);
    reg.sweep(10_000);
    expect(reg.size).toBe(1);
  });

  it("closes after the request limit", () => {
    const reg = new RendezvousRegistry(limits);
    reg.openFor("d", "r", 60, 0);
    expect([reg.request("r", 0), reg.request("r", 0), reg.request("r", 0)]).toEqual(["d", "d", "d"]);
    expect(() => reg.request("r", 0)).toThrow(expect.objectContaining({ code: "rendezvous_closed" }));
  });
});
