import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { checkCode, checkMarkdown, checkRepository, protocolSections } from "./citations";

const root = resolve(import.meta.dirname, "..");
// The normative page's file name, built so that this file does not itself name a file outside the repository.
const OUTSIDE = ["PROTOCOL", "md"].join(".");
const sections = protocolSections(readFileSync(resolve(root, "docs/protocol.md"), "utf8"));

describe("protocol citations", () => {
  it("hold everywhere in the repository", () => {
    const findings = checkRepository(root).map((f) => `${f.file}:${f.line}: ${f.problem}`);
    expect(findings).toEqual([]);
  });

  it("point at sections whose numbers have not moved", () => {
    // Code cites these numbers. Renumbering or renaming a section of docs/protocol.md fails
    // here on purpose: re-check every `docs/protocol.md section N` in the tree, then update this list.
    expect([...sections]).toEqual([
      [1, "Parties and names"],
      [2, "Transport"],
      [3, "Opcodes"],
      [4, "Connecting"],
      [5, "Frames"],
      [6, "Replies and errors"],
      [7, "Grants and presence"],
      [8, "End-to-end envelope"],
      [9, "Identity cards"],
      [10, "Pairing by QR code"],
      [11, "Application messages"],
      [12, "Close codes"],
    ]);
  });

  it.each([
    ["a file outside the repository", `/** The envelope, as ${OUTSIDE} has it. */`],
    ["a bare section number", "/** Checks of section 8. */"],
    ["a section our page does not have", "/** See docs/protocol.md section 13. */"],
    ["a subsection our page does not number", "/** See docs/protocol.md section 4.2. */"],
    ["one missing section in a range", "/** docs/protocol.md sections 11-13. */"],
  ])("refuses %s", (_what, code) => {
    expect(checkCode("x.ts", code, sections)).toHaveLength(1);
  });

  it.each([
    ["one section", "/** The envelope (docs/protocol.md section 8). */"],
    ["a list and a range", "/** docs/protocol.md sections 4-7 and 10. */"],
    ["a citation broken over comment lines", "/**\n * as docs/protocol.md\n * section 11 says\n */"],
    ["an RFC's sections", "// RFC 8291 section 3.4, and section 2 of RFC 8188"],
  ])("accepts %s", (_what, code) => {
    expect(checkCode("x.ts", code, sections)).toEqual([]);
  });

  it("refuses markdown links that leave the repository or lead nowhere", () => {
    const text = `[spec](../../shared/${OUTSIDE}) [gone](docs/nothing.md) [ok](docs/protocol.md) [web](https://x.org/a)`;
    expect(checkMarkdown(root, "README.md", text).map((f) => f.problem)).toEqual([
      `links outside the repository (../../shared/${OUTSIDE})`,
      "links to a path that does not exist (docs/nothing.md)",
    ]);
  });
});
