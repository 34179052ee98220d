import { homedir } from "node:os";
import { CompiledPolicy } from "./config";
import { selfCalls } from "./fork-bomb";
import { parseCommandLine, type Command, type Pipeline, type Script, type SimpleCommand } from "./parse";
import { judgeWriteTarget, resolvePath } from "./paths";
import { programName, type RuleContext, type StdinSource } from "./rule-context";
import { lookupProgram } from "./rule-table";
import { judgeAssignment } from "./rules-wrappers";
import { maxRisk, riskRank, type Classification, type Finding, type Risk, type RiskPolicy } from "./types";

/** Limits of the analysis itself. */
export const CLASSIFY_LIMITS = Object.freeze({
  /** How deeply `bash -c "bash -c ..."` and substitutions are followed before giving up (high). */
  maxDepth: 8,
});

export interface ClassifyOptions {
  /** The requesting device's overrides. */
  policy?: RiskPolicy | CompiledPolicy;
  /** The user's home directory (default: this process's). */
  home?: string;
  /** The directory the command starts in (default: home); null when unknown. */
  cwd?: string | null;
}

/** Directories whose programs are the system's own; a program elsewhere (`./rm`) is not what its name says. */
const SYSTEM_BIN_DIRS = new Set(["/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/opt/homebrew/bin"]);
const WRITE_REDIRS = new Set([">", ">>", ">|", "&>", "&>>", "<>", ">&"]);

interface State {
  cwd: string | null;
}

class Judge {
  readonly findings: Finding[] = [];
  private readonly functions = new Set<string>();

  constructor(
    private readonly policy: CompiledPolicy,
    private readonly home: string,
  ) {}

  script(text: string, state: State, depth: number, stdin: StdinSource): void {
    if (depth > CLASSIFY_LIMITS.maxDepth) {
      this.findings.push({ risk: "high", reason: "commands nested too deeply to analyse" });
      return;
    }
    const { script, errors } = parseCommandLine(text);
    if (errors.length > 0) this.findings.push({ risk: "high", reason: `the command could not be fully understood (${[...new Set(errors)].join("; ")})` });
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
        this.walkScript(cmd.body, cmd.subshell ? { ...state } : state, depth, stdin);
        this.redirects(cmd.redirs, state, depth);
        return;
      case "function": {
        this.functions.add(cmd.name);
        const calls = selfCalls(cmd.body, cmd.name);
        if (calls === "spawning") this.findings.push({ risk: "forbidden", reason: `fork bomb: the function ${cmd.name} starts copies of itself in a pipe or the background until the machine stalls` });
        else if (calls === "plain") this.findings.push({ risk: "high", reason: `the function ${cmd.name} calls itself recursively` });
        return this.walkCommand(cmd.body, { ...state }, depth, { kind: "terminal" });
      }
      case "words":
        for (const w of cmd.words) for (const sub of w.subs) this.script(sub, state, depth + 1, { kind: "terminal" });
        return;
      default: {
        const never: never = cmd;
        return never;
      }
    }
  }

  private redirects(redirs: SimpleCommand["redirs"], state: State, depth: number): StdinSource | null {
    let stdin: StdinSource | null = null;
    for (const r of redirs) {
      for (const sub of r.target?.subs ?? []) this.script(sub, state, depth + 1, { kind: "terminal" });
      if (r.op === "<<" || r.op === "<<-") stdin = { kind: "heredoc", body: r.body ?? "" };
      else if (r.op === "<<<") stdin = { kind: "heredoc", body: r.target?.text ?? "" };
      else if (r.op === "<") stdin = { kind: "pipe", from: [] };
      else if (WRITE_REDIRS.has(r.op) && r.target && !(r.op === ">&" && /^(\d+|-)$/.test(r.target.text))) {
        const f = judgeWriteTarget(r.target.text, { home: this.home, cwd: state.cwd }, "redirection writes to");
        if (f) this.findings.push(f);
      }
    }
    return stdin;
  }

  private walkSimple(cmd: SimpleCommand, state: State, depth: number, stdin: StdinSource): void {
    for (const w of [...cmd.assigns, ...cmd.words]) for (const sub of w.subs) this.script(sub, state, depth + 1, { kind: "terminal" });
    const input = this.redirects(cmd.redirs, state, depth) ?? stdin;
    const fixed = this.context(state, depth, input, (risk, reason) => this.findings.push({ risk, reason }));
    for (const a of cmd.assigns) judgeAssignment(a.text, fixed);
    const first = cmd.words[0];
    if (!first) return;
    if (first.dynamic) {
      this.findings.push({ risk: "high", reason: `the program name ${first.text} is computed at run time and cannot be checked` });
      return;
    }
    const argv = cmd.words.map((w) => w.text);
    if (programName(first.text) === "cd" && cmd.words.length <= 2) state.cwd = this.cdTarget(argv[1], state);
    this.judgeArgv(argv, state, depth, input);
  }

  private cdTarget(arg: string | undefined, state: State): string | null {
    if (arg === undefined || arg === "~") return this.home;
    if (arg === "-") return null;
    return resolvePath(arg, { home: this.home, cwd: state.cwd });
  }

  private context(state: State, depth: number, stdin: StdinSource, add: RuleContext["add"]): RuleContext {
    return {
      home: this.home,
      cwd: state.cwd,
      stdin,
      add,
      addFixed: (risk, reason) => this.findings.push({ risk, reason }),
      judgeArgv: (argv) => this.judgeArgv(argv, state, depth + 1, stdin),
      judgeScript: (text) => this.script(text, { ...state }, depth + 1, { kind: "terminal" }),
    };
  }

  /** Judges one program with its arguments as a "part", then applies the device's overrides. */
  judgeArgv(argv: string[], state: State, depth: number, stdin: StdinSource): void {
    if (depth > CLASSIFY_LIMITS.maxDepth) {
      this.findings.push({ risk: "high", reason: "commands nested too deeply to analyse" });
      return;
    }
    const part: Finding[] = [];
    const ctx = this.context(state, depth, stdin, (risk, reason) => part.push({ risk, reason }));
    const program = programName(argv[0]);
    const dir = argv[0].includes("/") ? argv[0].slice(0, argv[0].lastIndexOf("/")) || "/" : null;
    const lookup = lookupProgram(program);
    if (dir !== null && !SYSTEM_BIN_DIRS.has(dir)) part.push({ risk: "high", reason: `runs the program file ${argv[0]}, whose contents the policy cannot check` });
    else if (this.functions.has(program)) part.push({ risk: "low", reason: `calls the function ${program} defined in this command` });
    else if (lookup.kind === "rule") lookup.rule(argv.slice(1), ctx);
    else if (lookup.kind === "low") part.push({ risk: "low", reason: lookup.reason });
    else part.push({ risk: "high", reason: `"${program}" is not a program the policy knows; unknown commands need approval` });
    this.findings.push(...this.applyOverrides([program, ...argv.slice(1)], part));
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
 * Classifies a command line as "low", "high" or "forbidden", with reasons. The line is
 * parsed (quotes, operators, substitutions, wrappers, `sh -c` scripts) and every command
 * in it is judged; the line takes the highest class of its parts.
 *
 * @example classify("ls -la && rm -rf ~") // { risk: "forbidden", reasons: ["rm -r on ~ wipes your home directory"] }
 */
export function classify(command: string, options: ClassifyOptions = {}): Classification {
  const policy = options.policy instanceof CompiledPolicy ? options.policy : CompiledPolicy.from(options.policy);
  const home = options.home ?? homedir();
  const judge = new Judge(policy, home);
  judge.script(command, { cwd: options.cwd === undefined ? home : options.cwd }, 0, { kind: "terminal" });
  if (judge.findings.length === 0) return { risk: "low", reasons: ["nothing to run"] };
  const risk = judge.findings.reduce<Risk>((acc, f) => maxRisk(acc, f.risk), "low");
  const reasons = [...new Set(judge.findings.filter((f) => riskRank(f.risk) === riskRank(risk)).map((f) => f.reason))];
  return { risk, reasons };
}
