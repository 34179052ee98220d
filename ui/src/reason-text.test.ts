import { describe, expect, it } from "vitest";
import { reasonParts } from "./reason-text";

describe("reasonParts", () => {
  it("turns backticked names into code and keeps the words around them", () => {
    expect(reasonParts("`rm` deletes files irreversibly (-f)")).toEqual([
      { code: true, text: "rm" },
      { code: false, text: " deletes files irreversibly (-f)" },
    ]);
    expect(reasonParts("`git` with `push` talks to the network")).toEqual([
      { code: true, text: "git" },
      { code: false, text: " with " },
      { code: true, text: "push" },
      { code: false, text: " talks to the network" },
    ]);
  });

  it("leaves a reason with no backticks, or an unpaired one, as written", () => {
    expect(reasonParts("no sandbox on the desktop")).toEqual([{ code: false, text: "no sandbox on the desktop" }]);
    expect(reasonParts("a stray ` backtick")).toEqual([{ code: false, text: "a stray ` backtick" }]);
  });
});
