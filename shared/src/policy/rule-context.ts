import type { PathContext } from "./paths";
import type { Risk } from "./types";

/** Where a command's standard input comes from, for rules about shells that read scripts from it. */
export type StdinSource = { kind: "terminal" } | { kind: "pipe"; from: string[] } | { kind: "heredoc"; body: string };

/** One argument of a command as the rules see it. */
export interface Arg {
  /** The text with quoting removed; expansions kept as written (`$X`). */
  text: string;
  /**
   * True when the shell decides the value at run time: a parameter expansion, a
   * substitution, an unquoted glob or brace expansion. Such a word may become an
   * option (`-delete`) or several words, whatever its text looks like here.
   */
  dynamic: boolean;
}

/** What a rule may do while judging one program's arguments. */
export interface RuleContext extends PathContext {
  /** Records a finding about the command being judged (a device's policy entries may re-class it). */
  add(risk: Risk, reason: string): void;
  /** Records a finding that no policy entry changes (a download piped into a shell). */
  addFixed(risk: Risk, reason: string): void;
  /** Judges the command a wrapper (`env`, `nice`, `sudo`...) runs, as a part of its own. */
  judgeArgv(argv: readonly Arg[], options?: { openTail?: boolean }): void;
  /** Judges a shell script given as text (`bash -c`, `eval`, a here-document). */
  judgeScript(text: string): void;
  readonly stdin: StdinSource;
  /** True when more arguments, unknown here, are appended at run time (`xargs CMD`). */
  readonly openTail: boolean;
}

/** Judges one program given its arguments (the program name itself excluded). */
export type Rule = (args: readonly Arg[], ctx: RuleContext) => void;

export interface SplitArgs {
  /** Single-letter options, from clusters such as `-rf`. */
  short: Set<string>;
  /** Long options with any `=value`, such as `--force` or `--location=global`. */
  long: string[];
  operands: string[];
}

/** Splits arguments into options and operands, honouring `--`. Options never take values here. */
export function splitArgs(args: readonly string[]): SplitArgs {
  const out: SplitArgs = { short: new Set(), long: [], operands: [] };
  let optionsDone = false;
  for (const a of args) {
    if (optionsDone || a === "-" || !a.startsWith("-")) out.operands.push(a);
    else if (a === "--") optionsDone = true;
    else if (a.startsWith("--")) out.long.push(a);
    else for (const c of a.slice(1)) out.short.add(c);
  }
  return out;
}

export function hasLong(s: SplitArgs, ...names: string[]): boolean {
  return s.long.some((l) => names.includes(l.split("=")[0]));
}

/** The texts of arguments. */
export function texts(args: readonly Arg[]): string[] {
  return args.map((a) => a.text);
}

/** The file name of a program path: `/usr/bin/rm` is `rm`. */
export function programName(word: string): string {
  const slash = word.lastIndexOf("/");
  return slash >= 0 ? word.slice(slash + 1) : word;
}

/**
 * The finding for a program run by `xargs` whose own options matter: the words appended at run time could become
 * options.
 */
export function reportOpenTail(name: string, ctx: RuleContext): boolean {
  if (!ctx.openTail) return false;
  ctx.add(
    "high",
    `\`${name}\` gets extra arguments read from the input at run time, which could become options or a command`,
  );
  return true;
}

/** A rule that always reports the same finding. */
export const fixed =
  (risk: Risk, reason: string): Rule =>
  (_args, ctx) =>
    ctx.add(risk, reason);
