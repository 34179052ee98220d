import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { classify } from "./classify";

/**
 * The parser against the real shell. Random lines are built from fragments that stress
 * quoting, substitutions, here-documents, comments and grouping, around the harmful
 * words `rm` and `touch`. Every line the classifier calls low is then run by real bash
 * inside bubblewrap (read-only filesystem, no network), with a DEBUG trap recording
 * each simple command bash executes and an EXIT trap listing the functions and aliases
 * it ended with. A low line must never make bash execute `rm` or `touch`, or define a
 * function or alias: if it does, the parser read the line differently from bash.
 */

const FRAGMENTS = [
  "echo",
  "ls",
  "cat",
  "true",
  "rm",
  "touch",
  " x",
  " -l",
  " /dev/null",
  " ",
  " ",
  " ",
  ";",
  "\n",
  " && ",
  " || ",
  " | ",
  " & ",
  "(",
  ")",
  "{ ",
  " }",
  "$(",
  "`",
  "'",
  '"',
  "\\",
  "${x:-",
  "}",
  "$((",
  "))",
  "<<EOF\n",
  "\nEOF\n",
  "<<'EOF'\n",
  "#",
  "()",
  " > /dev/null",
  " 2>&1",
  "<(",
  "if true; then ",
  "; fi",
  "$'\\x72m'",
  "r\\m",
  "'r'm",
  "$x",
  "*",
  "{a,b}",
  " -- ",
  "function ",
  "alias ls=rm",
  "x=1 ",
  "\t",
  " <<< ",
  "$'",
  "${x=",
  "((",
  "[[ ",
  " ]]",
  "\\\n",
  "$(( ",
  "<<-EOF\n",
  "\n\tEOF\n",
];
/** A few fixed lines that once fooled a simpler lexer. */
const REGRESSIONS = [
  "echo $((rm f); ls)",
  "echo ${x:-$(echo a\\)b; rm f)}",
  "for LANG do rm -rf d; done",
  "cat <<EOF\n$(touch f)\nEOF",
];
/** Random lines per run and the seed; `NL_BASH_DIFF_RUNS` / `NL_BASH_DIFF_SEED` explore further. */
const RUNS = Number(process.env.NL_BASH_DIFF_RUNS ?? 600);
const SEED = Number(process.env.NL_BASH_DIFF_SEED ?? 1010);
/** Longest a sandboxed bash may run, seconds (lines like `cat` with no file read an empty stdin). */
const RUN_SECONDS = 3;

const dir = mkdtempSync(join(tmpdir(), "nl-bash-diff-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const available = process.platform === "linux" && spawnSync("bwrap", ["--version"]).status === 0;

interface Outcome {
  line: string;
  /** Simple commands bash executed whose program is `rm` or `touch`. */
  harmful: string[];
  /** Functions and aliases defined when bash exited. */
  defined: string;
}

/** The program word of a recorded command, quotes and backslashes removed. */
function programOf(command: string): string {
  return (command.trim().split(/\s+/)[0] ?? "").replace(/['"\\]/g, "");
}

/**
 * Runs each line as its own bash script, all inside one bubblewrap sandbox (read-only
 * filesystem but for the scratch directory), and reports what each one executed.
 */
function runInSandbox(lines: readonly string[]): Outcome[] {
  lines.forEach((line, i) => {
    const base = join(dir, String(i));
    writeFileSync(`${base}.log`, "");
    writeFileSync(`${base}.defs`, "");
    const prelude = `set -T; trap 'printf "%s\\0" "$BASH_COMMAND" >> ${base}.log' DEBUG; trap 'declare -F > ${base}.defs; alias >> ${base}.defs' EXIT`;
    writeFileSync(`${base}.sh`, `${prelude}\n${line}\n`);
  });
  const driver = `for i in $(seq 0 ${lines.length - 1}); do (cd / && timeout ${RUN_SECONDS} bash ${dir}/$i.sh) </dev/null >/dev/null 2>&1; done`;
  const r = spawnSync(
    "bwrap",
    [
      "--ro-bind",
      "/",
      "/",
      "--tmpfs",
      "/tmp",
      "--bind",
      dir,
      dir,
      "--dev",
      "/dev",
      "--unshare-all",
      "--die-with-parent",
      "bash",
      "-c",
      driver,
    ],
    {
      stdio: "ignore",
      timeout: (RUN_SECONDS + 1) * 1000 * lines.length + 10_000,
    },
  );
  if (r.error) throw r.error;
  return lines.map((line, i) => {
    const base = join(dir, String(i));
    const commands = readFileSync(`${base}.log`, "utf8")
      .split("\0")
      .filter((c) => c !== "" && !c.startsWith("trap "));
    return {
      line,
      harmful: commands.filter((c) => ["rm", "touch"].includes(programOf(c))),
      defined: readFileSync(`${base}.defs`, "utf8").trim(),
    };
  });
}

const isLow = (line: string) => classify(line, { home: "/root", cwd: "/" }).risk === "low";

// Never skipped: the project's tests need bubblewrap (`bash .ci/run` installs it); without it this fails and says so.
describe("classifier vs real bash (in bubblewrap)", () => {
  it("has bubblewrap to run bash in", () => {
    expect(available, "install bubblewrap (apt install bubblewrap) to run the differential test").toBe(true);
  });

  it("the harness sees what bash runs: a line bash runs `rm` in is reported", () => {
    expect(runInSandbox(["echo $((rm -f /nonexistent); true)", "ls() { :; }"])).toEqual([
      { line: "echo $((rm -f /nonexistent); true)", harmful: ["rm -f /nonexistent"], defined: "" },
      { line: "ls() { :; }", harmful: [], defined: "declare -f ls" },
    ]);
  });

  it("lines that once fooled a simpler lexer are not low", () => {
    for (const line of REGRESSIONS) expect(isLow(line), line).toBe(false);
  });

  it(`agrees with bash on ${RUNS} random lines: a low line never runs rm or touch, nor defines a function or alias`, () => {
    // Most lines start with \`echo\`, which takes any argument, so that many of them are low and reach bash.
    const start = fc.constantFrom("echo ", "echo ", "echo ", "ls ", "");
    const arbitrary = fc
      .tuple(start, fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 10 }))
      .map(([head, parts]) => head + parts.join(""));
    const low = [...new Set(fc.sample(arbitrary, { numRuns: RUNS, seed: SEED }))].filter(isLow);
    expect(low.length).toBeGreaterThan(RUNS / 10);
    const wrong = runInSandbox(low).filter((o) => o.harmful.length > 0 || o.defined !== "");
    expect(wrong).toEqual([]);
  }, 120_000);
});
