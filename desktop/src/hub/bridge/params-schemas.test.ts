import { CAPABILITIES } from "@neural-link/shared/app";
import { describe, expect, it } from "vitest";
import { POLICY_LIMITS } from "@neural-link/shared/policy";
import { PARAM_SCHEMAS } from "./params-schemas";

const device = "D".repeat(43);
const ok = (method: keyof typeof PARAM_SCHEMAS, params: unknown) => PARAM_SCHEMAS[method].safeParse(params).success;

describe("HubApi params at the transport boundary", () => {
  it("takes the wire capability names of shared, and nothing else", () => {
    expect(ok("setDeviceCaps", { device, caps: [...CAPABILITIES] })).toBe(true);
    expect(ok("setDeviceCaps", { device, caps: ["approve"] })).toBe(true);
    expect(ok("setDeviceCaps", { device, caps: [] })).toBe(true);
    for (const old of ["messages", "terminals", "docs"])
      expect(ok("setDeviceCaps", { device, caps: [old] })).toBe(false);
  });

  it("takes risk overrides as three optional lists within the classifier's limits", () => {
    expect(ok("setDevicePolicy", { device, policy: {} })).toBe(true);
    expect(ok("setDevicePolicy", { device, policy: { allow: ["make"], high: ["git push"], forbid: ["docker"] } })).toBe(
      true,
    );
    expect(ok("setDevicePolicy", { device, policy: "standard" })).toBe(false);
    expect(ok("setDevicePolicy", { device, policy: { strict: true } })).toBe(false);
    expect(ok("setDevicePolicy", { device, policy: { allow: [" "] } })).toBe(false);
    expect(ok("setDevicePolicy", { device, policy: { allow: [7] } })).toBe(false);
    expect(ok("setDevicePolicy", { device, policy: { high: ["x".repeat(POLICY_LIMITS.maxEntryLength + 1)] } })).toBe(
      false,
    );
    expect(
      ok("setDevicePolicy", {
        device,
        policy: { forbid: Array.from({ length: POLICY_LIMITS.maxEntries + 1 }, (_, i) => `t${i}`) },
      }),
    ).toBe(false);
  });

  it("takes a shared-document message of a notes.* type with object data, and nothing else", () => {
    const d = { doc: "notes", data: "AAE" };
    for (const t of ["notes.sync", "notes.awareness", "notes.error"]) expect(ok("notesMessage", { t, d })).toBe(true);
    expect(ok("notesMessage", { t: "notes.other", d })).toBe(false);
    expect(ok("notesMessage", { t: "message", d })).toBe(false);
    expect(ok("notesMessage", { t: "notes.sync", d: "AAE" })).toBe(false);
    expect(ok("notesMessage", { t: "notes.sync", d: null })).toBe(false);
    expect(ok("notesMessage", { t: "notes.sync", d: [d] })).toBe(false);
    expect(ok("notesMessage", { t: "notes.sync" })).toBe(false);
    expect(ok("notesMessage", { t: "notes.sync", d, extra: 1 })).toBe(false);
    expect(PARAM_SCHEMAS.notesMessage.safeParse({ t: "x", d }).error?.issues[0]?.message).toMatch(
      /notes\.sync, notes\.awareness, notes\.error/,
    );
  });
});
