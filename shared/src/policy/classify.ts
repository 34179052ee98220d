import { CompiledPolicy } from "./config";
import { selfCalls } from "./fork-bomb";
import { parseCommandLine, type Command, type Pipeline, type Redirect, type Script, type SimpleCommand } from "./parse";
import { judgeWriteTarget, resolvePath } from "./paths";
import type { WordToken } from "./tokenize";
import { programName, type Arg, type RuleContext, type StdinSource } from "./rule-context";
import { lookupProgram } from "./rule-table";
import { maxRisk, riskRank, type Classification, type Finding, type Risk, type RiskPolicy } from "./types";
import { assignmentFinding } from "./variables";

/** Limits of the analysis itself. */
export const CLASSIFY_LIMITS = Object.freeze({
  /** How deeply `bash -c "bash -c ..."` and substitutions are followed before giving up (high). */
  maxDepth: 8,
});

export interface ClassifyOptions {
  /** The requesting device's overrides. */
  policy?: RiskPolicy | CompiledPolicy;
  /**
   * The user's home directory on the machine that runs the command (the hub
   * passes `os.homedir()`; a UI preview passes what it knows, see preview.ts).
   */
  home: string;
  /** The directory the command starts in (default: home); null when unknown. */
  cwd?: string | null;
}

/**
 * Directories whose programs are the system's own; a program elsewhere (`./ls`, `/tmp/ls`) is not what its name says.
 */
const SYSTEM_BIN_DIRS = new Set([
  "/bin",
  "/usr/bin",
  "/sbin",
  "/usr/sbin",
  "/usr/local/bin",
  "/usr/local/sbin",
  "/opt/homebrew/bin",
]);
const WRITE_REDIRS = new Set([">", ">>", ">|", "&>", "&>>", "<>", ">&"]);
/** The only files a low command may redirect output to. */
const DISCARD = new Set(["/dev/null", "/dev/stdout", "/dev/stderr"]);

/** `2>&1`, `<&0`, `>&-`: copies or closes a file descriptor, touching no file. */
function isFdCopy(r: Redirect): boolean {
  return /^(\d+|-)$/.test(r.target?.text ?? "") && !r.target?.dynamic;
}

interface State {
  cwd: string | null;
}

class Judge {
  readonly findings: Finding[] = [];

  constructor(
    private readonly policy: CompiledPolicy,
    private readonly home: string,
  ) {}

  private high(reason: string): void {
    this.findings.push({ risk: "high", reason });
  }

  script(text: string, state: State, depth: number, stdin: StdinSource): void {
    if (depth > CLASSIFY_LIMITS.maxDepth) return this.high("commands nested too deeply to analyse");
    const { script, errors } = parseCommandLine(text);
    if (errors.length > 0) this.high(`the command could not be fully understood (${[...new Set(errors)].join("; ")})`);
    this.walkScript(script, state, depth, stdin);
  }

  private walkScript(script: Script, state: State, depth: number, stdin: StdinSource): void {
    for (const p of script) this.walkPipeline(p, state, depth, stdin);
  }

  private walkPipeline(p: Pipeline, state: State, depth: number, stdin: StdinSource): void {
    const upstream: string[] = [];
    p.cmds.forEach((cmd, i) => {
      const input: StdinSource = i === 0 ? stdin : { kind: "pipe", from: [...upstream] };
      // Pipeline members and background jobs run in subshells: a `cd` there does not persist.
      const own = p.cmds.length === 1 && !p.background ? state : { ...state };
      this.walkCommand(cmd, own, depth, input);
      if (cmd.type === "simple" && cmd.words[0]) upstream.push(programName(cmd.words[0].text));
    });
  }

  private walkCommand(cmd: Command, state: State, depth: number, stdin: StdinSource): void {
    switch (cmd.type) {
      case "simple":
        return this.walkSimple(cmd, state, depth, stdin);
      case "group":
        this.redirects(cmd.redirs, state, depth);
        return this.walkScript(cmd.body, cmd.subshell ? { ...state } : state, depth, stdin);
      case "function": {
        this.high(`defines a function \`${cmd.name}\`, which can change what later commands do`);
        const calls = selfCalls(cmd.body, cmd.name);
        if (calls === "spawning")
          this.findings.push({
            risk: "forbidden",
            reason: `fork bomb: the function ${cmd.name} starts copies of itself in a pipe or the background until the machine stalls`,
          });
        return this.walkCommand(cmd.body, { ...state }, depth, { kind: "terminal" });
      }
      case "words": {
        const [keyword, variable] = cmd.words;
        if ((keyword?.text === "for" || keyword?.text === "select") && variable)
          this.findings.push(assignmentFinding(`${variable.text}=`));
        return this.expansions(cmd.words, state, depth);
      }
      default: {
        const never: never = cmd;
        return never;
      }
    }
  }

  /** Judges redirections; returns the standard input they set up, if any. */
  private redirects(redirs: readonly Redirect[], state: State, depth: number): StdinSource | null {
    let stdin: StdinSource | null = null;
    for (const r of redirs) {
      if (r.target) this.expansions([r.target], state, depth);
      for (const sub of r.bodySubs ?? []) this.script(sub, state, depth + 1, { kind: "terminal" });
      const target = r.target?.text ?? "";
      if (r.op === "<<" || r.op === "<<-") stdin = { kind: "heredoc", body: r.body ?? "" };
      else if (r.op === "<<<") stdin = { kind: "heredoc", body: target };
      else if (r.op === "<") {
        stdin = { kind: "pipe", from: [] };
        // bash opens a network connection for /dev/tcp/HOST/PORT and /dev/udp/...
        if (r.target?.dynamic || r.target?.expands || /^\/dev\/(tcp|udp)\//.test(target))
          this.high(`the redirection \`<\` reads from ${target}, which is or may be a network connection`);
      } else if (r.op === "<&" || (r.op === ">&" && isFdCopy(r))) {
        if (!isFdCopy(r)) this.high(`the redirection \`<&${target}\` is not a plain file-descriptor copy`);
      } else if (WRITE_REDIRS.has(r.op)) this.writeRedirect(r, state);
    }
    return stdin;
  }

  private writeRedirect(r: Redirect, state: State): void {
    const target = r.target?.text ?? "";
    const f = judgeWriteTarget(target, { home: this.home, cwd: state.cwd }, `the redirection \`${r.op}\` writes to`);
    if (f?.risk === "forbidden") this.findings.push(f);
    else if (r.op === "<>" || r.target?.dynamic || r.target?.expands || !DISCARD.has(target))
      this.high(f?.reason ?? `the redirection \`${r.op}\` writes to ${target || "a file"}`);
  }

  /** Runs the substitutions of words as scripts of their own, and flags expansions that assign variables. */
  private expansions(words: readonly WordToken[], state: State, depth: number): void {
    for (const w of words) {
      for (const sub of w.subs) this.script(sub, state, depth + 1, { kind: "terminal" });
      if (w.assigns) this.high(`expanding ${w.text} assigns a variable, which can change what later commands do`);
    }
  }

  private walkSimple(cmd: SimpleCommand, state: State, depth: number, stdin: StdinSource): void {
    this.expansions([...cmd.assigns, ...cmd.words], state, depth);
    const input = this.redirects(cmd.redirs, state, depth) ?? stdin;
    for (const a of cmd.assigns) this.findings.push(assignmentFinding(a.text));
    const first = cmd.words[0];
    if (!first) return;
    if (first.dynamic || first.expands)
      return this.high(`the program name ${first.text} is decided at run time and cannot be checked`);
    const argv: Arg[] = cmd.words.map((w) => ({ text: w.text, dynamic: w.dynamic || w.expands }));
    if (programName(first.text) === "cd" && cmd.words.length <= 2) state.cwd = this.cdTarget(argv[1], state);
    this.judgeArgv(argv, state, depth, input, false);
  }

  private cdTarget(arg: Arg | undefined, state: State): string | null {
    if (arg === undefined || arg.text === "~") return this.home;
    if (arg.text === "-") return null;
    return resolvePath(arg.text, { home: this.home, cwd: state.cwd });
  }

  private context(
    state: State,
    depth: number,
    stdin: StdinSource,
    openTail: boolean,
    add: RuleContext["add"],
  ): RuleContext {
    return {
      home: this.home,
      cwd: state.cwd,
      stdin,
      openTail,
      add,
      addFixed: (risk, reason) => this.findings.push({ risk, reason }),
      judgeArgv: (argv, o) => this.judgeArgv(argv, state, depth + 1, stdin, o?.openTail ?? false),
      judgeScript: (text) => this.script(text, { ...state }, depth + 1, { kind: "terminal" }),
    };
  }

  /** Judges one program with its arguments as a "part", then applies the device's overrides. */
  private judgeArgv(argv: readonly Arg[], state: State, depth: number, stdin: StdinSource, openTail: boolean): void {
    if (depth > CLASSIFY_LIMITS.maxDepth) return this.high("commands nested too deeply to analyse");
    const part: Finding[] = [];
    const ctx = this.context(state, depth, stdin, openTail, (risk, reason) => part.push({ risk, reason }));
    const word = argv[0].text;
    const program = programName(word);
    const dir = word.includes("/") ? word.slice(0, word.lastIndexOf("/")) || "/" : null;
    const rule = lookupProgram(program);
    if (argv[0].dynamic)
      part.push({ risk: "high", reason: `the program name ${word} is decided at run time and cannot be checked` });
    else if (dir !== null && !SYSTEM_BIN_DIRS.has(dir))
      part.push({
        risk: "high",
        reason: `runs the program file ${word}, whose contents the policy cannot check (a copy of a shell can have any name)`,
      });
    else if (rule) rule(argv.slice(1), ctx);
    else
      part.push({
        risk: "high",
        reason: `\`${program}\` is not a program the policy knows as read-only; unknown commands need approval`,
      });
    this.findings.push(...this.applyOverrides([program, ...argv.slice(1).map((a) => a.text)], part));
  }

  private applyOverrides(words: string[], part: Finding[]): Finding[] {
    const match = this.policy.match(words);
    if (!match) return part;
    if (part.some((f) => f.risk === "forbidden")) return part;
    const label = match.risk === "low" ? "allowed" : match.risk === "high" ? "marked high-risk" : "forbidden";
    return [{ risk: match.risk, reason: `"${match.entry}" is ${label} by this device's policy` }];
  }
}

/**
 * Classifies a command line, default-deny: "low" only when every command in it is a
 * known read-only program with vetted options and nothing else on the line can change
 * what runs (no function, alias or variable definitions, no redirection but to
 * /dev/null); "forbidden" for commands that destroy the machine; "high" otherwise. Low
 * commands are then run inside the sandbox, which is the actual boundary.
 *
 * @example classify("ls -la && rm -rf ~", { home: "/home/ada" }) // { risk: "forbidden", reasons: ["rm -r on ~ wipes your home directory"] }
 */
export function classify(command: string, options: ClassifyOptions): Classification {
  const policy = options.policy instanceof CompiledPolicy ? options.policy : CompiledPolicy.from(options.policy);
  const home = options.home;
  const judge = new Judge(policy, home);
  judge.script(command, { cwd: options.cwd === undefined ? home : options.cwd }, 0, { kind: "terminal" });
  if (judge.findings.length === 0) return { risk: "low", reasons: ["nothing to run"] };
  const risk = judge.findings.reduce<Risk>((acc, f) => maxRisk(acc, f.risk), "low");
  const reasons = [...new Set(judge.findings.filter((f) => riskRank(f.risk) === riskRank(risk)).map((f) => f.reason))];
  return { risk, reasons };
}
