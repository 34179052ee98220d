/**
 * The citation rule: code cites the protocol by `docs/protocol.md section N`,
 * where N is a numbered `## N.` heading of that page, and never names a file
 * outside the repository. Markdown links stay inside the repository too.
 *
 * A bare "section 6" is refused because it is ambiguous (the normative page
 * and ours number their sections differently); RFC citations ("RFC 8291
 * section 2") are not ours to check and pass.
 *
 *   npx tsx lint/citations.ts        # prints every finding, exits 1 if any
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";

export interface Finding {
  file: string;
  line: number;
  problem: string;
}

const CODE_FILE = /\.(ts|tsx|js|mjs|cjs)$/;
const SECTION_WORD = /\b[Ss]ections?\s+(\d+(?:\.\d+)?(?:\s*(?:-|,|and|to)\s*\d+(?:\.\d+)?)*)/g;
/** What may stand before "section N" on the way back to `docs/protocol.md`: spaces and comment leaders. */
const CITED_BEFORE = /docs\/protocol\.md(?:\s|\*|\/\/)*$/;
const RFC_BEFORE = /RFC\s*\d+[,\s]*$/i;
const RFC_AFTER = /^\s+of\s+RFC\s*\d+/i;
/** The normative protocol page and the conventions live beside the repository, not in it. */
const OUTSIDE_NAMES = [/PROTOCOL\.md/, /CONVENTIONS\.md/];

/** The numbered top-level sections of docs/protocol.md: number → title. */
export function protocolSections(markdown: string): Map<number, string> {
  const sections = new Map<number, string>();
  for (const m of markdown.matchAll(/^## (\d+)\. (.+)$/gm)) sections.set(Number(m[1]), m[2]!.trim());
  return sections;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function citedNumbers(list: string): number[] | undefined {
  const out: number[] = [];
  for (const part of list.split(/\s*(?:,|\band\b)\s*/)) {
    if (part === "") continue;
    const range = /^(\d+)\s*(?:-|to)\s*(\d+)$/.exec(part);
    if (range) {
      for (let n = Number(range[1]); n <= Number(range[2]); n++) out.push(n);
    } else if (/^\d+$/.test(part)) {
      out.push(Number(part));
    } else {
      return undefined; // "4.2": our page has no numbered subsections
    }
  }
  return out;
}

/** Findings in one code file's text. */
export function checkCode(file: string, text: string, sections: Map<number, string>): Finding[] {
  const findings: Finding[] = [];
  for (const name of OUTSIDE_NAMES) {
    const m = name.exec(text);
    if (m)
      findings.push({
        file,
        line: lineOf(text, m.index),
        problem: `names a file outside the repository (${m[0]}); cite docs/protocol.md`,
      });
  }
  for (const m of text.matchAll(SECTION_WORD)) {
    const before = text.slice(Math.max(0, m.index - 60), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 20);
    if (RFC_BEFORE.test(before) || RFC_AFTER.test(after)) continue;
    const line = lineOf(text, m.index);
    if (!CITED_BEFORE.test(before)) {
      findings.push({
        file,
        line,
        problem: `"${m[0]}" does not say whose section: write "docs/protocol.md ${m[0].toLowerCase()}"`,
      });
      continue;
    }
    const numbers = citedNumbers(m[1]!);
    if (!numbers) {
      findings.push({ file, line, problem: `"${m[0]}": docs/protocol.md has numbered sections only, no subsections` });
      continue;
    }
    for (const n of numbers) {
      if (!sections.has(n)) findings.push({ file, line, problem: `docs/protocol.md has no section ${n}` });
    }
  }
  return findings;
}

/** Findings in one markdown file: relative links that leave the repository or lead nowhere. */
export function checkMarkdown(root: string, file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!.split("#")[0]!;
    if (target === "" || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // an anchor or a URL
    const absolute = resolve(root, dirname(file), target);
    const line = lineOf(text, m.index);
    if (relative(root, absolute).startsWith("..")) {
      findings.push({ file, line, problem: `links outside the repository (${m[1]})` });
    } else if (!existsSync(absolute)) {
      findings.push({ file, line, problem: `links to a path that does not exist (${m[1]})` });
    }
  }
  return findings;
}

/** Every finding in the repository at `root` (tracked files and new ones not ignored). */
export function checkRepository(root: string): Finding[] {
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: root, encoding: "utf8" })
    .split("\n")
    .filter((f) => f !== "" && existsSync(resolve(root, f)));
  const sections = protocolSections(readFileSync(resolve(root, "docs/protocol.md"), "utf8"));
  const findings: Finding[] = [];
  for (const file of files) {
    if (file.startsWith("lint/citations")) continue; // the rule's own text and tests name what they refuse
    const text = () => readFileSync(resolve(root, file), "utf8");
    if (CODE_FILE.test(file)) findings.push(...checkCode(file, text(), sections));
    else if (file.endsWith(".md")) findings.push(...checkMarkdown(root, file, text()));
  }
  return findings;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname, "citations.ts")) {
  const findings = checkRepository(resolve(import.meta.dirname, ".."));
  for (const f of findings) console.error(`${f.file}:${f.line}: ${f.problem}`);
  if (findings.length > 0) {
    console.error(`${findings.length} citation problem(s): see lint/citations.ts for the rule`);
    process.exit(1);
  }
}
