import { describe, expect, it } from "vitest";
import { SizePolicy } from "./size-policy";

const phone = "phone-1";
const desktop = "desktop";

describe("SizePolicy: the viewer that typed last holds the size", () => {
  it("the opener holds the size; another viewer's resizes are recorded, not applied", () => {
    const p = new SizePolicy();
    p.open("t", phone, { cols: 40, rows: 20 });
    expect(p.resize("t", desktop, { cols: 120, rows: 40 })).toBeNull();
    expect(p.resize("t", desktop, { cols: 121, rows: 40 })).toBeNull();
    expect(p.current("t")).toEqual({ size: { cols: 40, rows: 20 }, holder: phone });
    expect(p.resize("t", phone, { cols: 44, rows: 20 })).toEqual({ cols: 44, rows: 20 });
  });

  it("typing takes the size: the pty gets the typist's last reported size, once", () => {
    const p = new SizePolicy();
    p.open("t", phone, { cols: 40, rows: 20 });
    p.resize("t", desktop, { cols: 120, rows: 40 });
    expect(p.input("t", desktop)).toEqual({ cols: 120, rows: 40 });
    expect(p.input("t", desktop)).toBeNull();
    // The phone rotates while the desktop holds the size: recorded only.
    expect(p.resize("t", phone, { cols: 80, rows: 12 })).toBeNull();
    expect(p.input("t", phone)).toEqual({ cols: 80, rows: 12 });
    expect(p.current("t")?.holder).toBe(phone);
  });

  it("alternating resizes from two viewers never move the pty unless one types", () => {
    const p = new SizePolicy();
    p.open("t", phone, { cols: 40, rows: 20 });
    const applied = [];
    for (let i = 0; i < 10; i++) {
      applied.push(p.resize("t", desktop, { cols: 100 + i, rows: 30 }));
      applied.push(p.resize("t", phone, { cols: 40, rows: 20 }));
    }
    expect(applied.every((a) => a === null)).toBe(true);
  });

  it("a claim takes the size without typing; a viewer that never reported a size keeps the pty as is", () => {
    const p = new SizePolicy();
    p.open("t", phone, { cols: 40, rows: 20 });
    expect(p.resize("t", desktop, { cols: 100, rows: 30 }, true)).toEqual({ cols: 100, rows: 30 });
    expect(p.input("t", "phone-2")).toBeNull();
    expect(p.current("t")).toEqual({ size: { cols: 100, rows: 30 }, holder: "phone-2" });
    p.close("t");
    expect(p.current("t")).toBeNull();
    expect(p.input("t", phone)).toBeNull();
  });
});
