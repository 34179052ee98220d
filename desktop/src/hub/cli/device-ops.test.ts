import { describe, expect, it } from "vitest";
import { type DeviceRow, DeviceOpError, resolveDevice } from "./device-ops";

const row = (id: string, name: string): DeviceRow => ({ id, name, kind: "phone", online: null, caps: [] });
const rows = [row("abc123xyz", "Pixel"), row("abd456uvw", "iPhone"), row("zzz789", "Twin"), row("zzy000", "Twin")];

describe("resolveDevice", () => {
  it("takes an exact id, a name (any case) or a unique start of an id", () => {
    expect(resolveDevice(rows, "abd456uvw").name).toBe("iPhone");
    expect(resolveDevice(rows, "pixel").id).toBe("abc123xyz");
    expect(resolveDevice(rows, "abc").name).toBe("Pixel");
  });

  it("refuses an ambiguous prefix or name, and an unknown device, saying what to give instead", () => {
    expect(() => resolveDevice(rows, "ab")).toThrow(/start of 2 device ids/);
    expect(() => resolveDevice(rows, "Twin")).toThrow(/2 devices are named "Twin".*zzz789, zzy000/);
    expect(() => resolveDevice(rows, "nokia")).toThrow(DeviceOpError);
  });
});
