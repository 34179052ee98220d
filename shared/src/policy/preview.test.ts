import { describe, expect, it } from "vitest";
import { classify } from "./classify";
import { OUTCOME_WORDS, outcomeOf, PREVIEW_DEFAULTS, previewCommand } from "./preview";

const phone = { fromDesktop: false, sandbox: { available: true } };

describe("risk preview", () => {
  it("decides like the hub: forbidden never runs, high asks, low runs (in the sandbox for a device)", () => {
    expect(outcomeOf("forbidden", true, true)).toBe("refused");
    expect(outcomeOf("high", true, true)).toBe("asks");
    expect(outcomeOf("low", true, false)).toBe("runs-now");
    expect(outcomeOf("low", false, true)).toBe("sandbox");
    expect(outcomeOf("low", false, false)).toBe("asks");
  });

  it("shows nothing for a blank line", () => {
    expect(previewCommand("   ", phone)).toBeNull();
  });

  it("gives the classifier's verdict and reasons, in words", () => {
    expect(previewCommand("ls -la", phone)).toMatchObject({
      outcome: "sandbox",
      risk: "low",
      words: "runs in the sandbox",
    });
    expect(previewCommand("ls -la", { ...phone, fromDesktop: true })?.words).toBe(OUTCOME_WORDS["runs-now"]);
    const push = previewCommand("git push", phone);
    expect(push).toMatchObject({ outcome: "asks", risk: "high", words: "will ask for approval" });
    expect(push?.reasons).toEqual(classify("git push", { home: PREVIEW_DEFAULTS.home }).reasons);
    const wipe = previewCommand("rm -rf ~", phone);
    expect(wipe).toMatchObject({ outcome: "refused", risk: "forbidden" });
    expect(wipe?.reasons.join(" ")).toMatch(/home directory/);
  });

  it("says why a low command still asks: no sandbox, or none known yet", () => {
    expect(previewCommand("ls", { fromDesktop: false, sandbox: { available: false } })).toMatchObject({
      outcome: "asks",
      reasons: ["no sandbox on the desktop, so every command asks", expect.stringMatching(/ls/)],
    });
    expect(previewCommand("ls", { fromDesktop: false, sandbox: null })?.reasons[0]).toBe(
      "the desktop's sandbox is not known yet",
    );
  });

  it("judges from the folder given, and applies the requester's overrides", () => {
    expect(previewCommand("rm -rf .", { ...phone, cwd: "" })?.outcome).toBe("refused");
    expect(previewCommand("rm -rf .", { ...phone, cwd: "/srv/project" })?.outcome).toBe("asks");
    expect(previewCommand("make", { ...phone, policy: { allow: ["make"] } })?.outcome).toBe("sandbox");
    expect(previewCommand("make", phone)?.outcome).toBe("asks");
  });
});
