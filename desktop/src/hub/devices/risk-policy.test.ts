import { describe, expect, it } from "vitest";
import { POLICY_LIMITS } from "@neural-link/shared/policy";
import { HubError } from "../hub-error";
import { normalizeRiskPolicy, uiRiskPolicy } from "./risk-policy";

describe("device risk overrides", () => {
  it("trims entries, collapses inner spaces, drops duplicates and empty lists", () => {
    expect(normalizeRiskPolicy({ allow: ["  make ", "git   push", "git push"], high: [], forbid: ["docker"] })).toEqual(
      {
        allow: ["make", "git push"],
        forbid: ["docker"],
      },
    );
    expect(normalizeRiskPolicy({})).toEqual({});
  });

  it("refuses what the classifier would refuse to read, as bad_params", () => {
    const tooLong = "x".repeat(POLICY_LIMITS.maxEntryLength + 1);
    const tooMany = Array.from({ length: POLICY_LIMITS.maxEntries + 1 }, (_, i) => `tool-${i}`);
    for (const policy of [{ high: [tooLong] }, { forbid: tooMany }, { allow: ["  "] }]) {
      let caught: unknown;
      try {
        normalizeRiskPolicy(policy);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(HubError);
      expect(caught).toMatchObject({ code: "bad_params" });
    }
  });

  it("hands the UI a copy of the stored lists", () => {
    const stored = { high: ["git push"] };
    const shown = uiRiskPolicy(stored);
    expect(shown).toEqual(stored);
    shown.high!.push("make");
    expect(stored.high).toEqual(["git push"]);
  });
});
