import { describe, expect, it } from "vitest";
import { overrideCount, parseEntries, policyToText, samePolicy, textToPolicy } from "./policy-text";

describe("risk policy editor text", () => {
  it("reads one entry per line, dropping blank lines and outer spaces", () => {
    expect(parseEntries("  make \r\n\n git push\n   \n")).toEqual(["make", "git push"]);
    expect(parseEntries("")).toEqual([]);
  });

  it("round-trips a policy and leaves empty lists out", () => {
    const policy = { allow: ["make", "systemctl status"], forbid: ["docker"] };
    const text = policyToText(policy);
    expect(text).toEqual({ allow: "make\nsystemctl status", high: "", forbid: "docker" });
    expect(textToPolicy(text)).toEqual(policy);
    expect(textToPolicy({ allow: "\n", high: " ", forbid: "" })).toEqual({});
  });

  it("tells an edit from the stored policy", () => {
    const policy = { high: ["git push"] };
    expect(samePolicy({ allow: "", high: " git push \n", forbid: "" }, policy)).toBe(true);
    expect(samePolicy({ allow: "make", high: "git push", forbid: "" }, policy)).toBe(false);
    expect(samePolicy({ allow: "", high: "", forbid: "git push" }, policy)).toBe(false);
    expect(overrideCount({ allow: ["a", "b"], forbid: ["c"] })).toBe(3);
    expect(overrideCount({})).toBe(0);
  });
});
