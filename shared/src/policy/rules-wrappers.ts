import { reportOpenTail, type Arg, type Rule, type RuleContext } from "./rule-context";
import { assignmentFinding } from "./variables";

/**
 * Programs that run another program. The wrapped command is judged as a part of its
 * own (so `sudo rm -rf /` stays forbidden and a device entry for `make` also covers
 * `nice make`). `env`, `nice`, `timeout`, `time`, `stdbuf` and `xargs` are low when
 * their own options are vetted and what they run is low (`xargs` appends words read at
 * run time, so what it runs must be safe with any extra arguments). The others add a
 * high finding of their own.
 */

interface WrapperSpec {
  /** Options without a value known to be harmless. */
  flags?: readonly string[];
  /** Options that take a separate value (`-n 5`); `--name=value` forms are accepted for long ones. */
  valued?: readonly string[];
  /** Operands before the wrapped command (`timeout 10 cmd` has one). */
  positional?: number;
  /** Low wrappers: a finding for an option outside `flags`/`valued`. High wrappers skip unknown options. */
  strict?: boolean;
}

/** Index of the wrapped command, or null when an option is not vetted (already reported). */
function skipOptions(name: string, args: readonly Arg[], spec: WrapperSpec, ctx: RuleContext): number | null {
  let i = 0;
  while (i < args.length && args[i].text.startsWith("-") && args[i].text !== "-") {
    const a = args[i].text;
    if (a === "--") {
      i++;
      break;
    }
    const key = a.split("=")[0];
    if (spec.valued?.includes(key) || spec.valued?.includes(a.slice(0, 2)))
      i += a.includes("=") || (a.length > 2 && !a.startsWith("--")) ? 1 : 2;
    else if (spec.flags?.includes(a) || !spec.strict) i++;
    else {
      ctx.add("high", `\`${name} ${a}\` is an option the policy has not vetted`);
      return null;
    }
  }
  const start = i + (spec.positional ?? 0);
  // `timeout $T ls` with T="5 rm" runs rm: no word before the wrapped command may be decided at run time.
  if (spec.strict && args.slice(0, start).some((x) => x.dynamic)) {
    ctx.add(
      "high",
      `\`${name}\` gets an option or operand decided at run time, which could change the command it runs`,
    );
    return null;
  }
  return start;
}

/** A wrapper that is low when what it runs is low. */
const lowWrapper =
  (name: string, does: string, spec: WrapperSpec, alone: string): Rule =>
  (args, ctx) => {
    const i = skipOptions(name, args, { ...spec, strict: true }, ctx);
    if (i === null) return;
    const rest = args.slice(i);
    if (rest.length === 0 && reportOpenTail(name, ctx)) return;
    ctx.add("low", rest.length > 0 ? `\`${name}\` ${does}` : alone);
    if (rest.length > 0) ctx.judgeArgv(rest, { openTail: name === "xargs" || ctx.openTail });
  };

/** A wrapper that is high by itself; what it runs is judged too, so a forbidden command stays forbidden. */
const highWrapper =
  (name: string, reason: string, spec: WrapperSpec = {}): Rule =>
  (args, ctx) => {
    ctx.add("high", `\`${name}\` ${reason}`);
    const i = skipOptions(name, args, spec, ctx) ?? args.length;
    const rest = args.slice(i);
    if (rest.length > 0) ctx.judgeArgv(rest);
  };

const env: Rule = (args, ctx) => {
  const split = args.findIndex(
    (a) => a.text === "-S" || a.text.startsWith("--split-string") || /^-[iv0]*S/.test(a.text),
  );
  if (split >= 0) {
    ctx.add("high", "`env -S` splits a string into a command, decided by text the policy does not vet");
    return ctx.judgeScript(
      args
        .slice(split + 1)
        .map((a) => a.text)
        .join(" "),
    );
  }
  const i = skipOptions(
    "env",
    args,
    {
      flags: ["-i", "-0", "--null", "--ignore-environment", "-"],
      valued: ["-u", "--unset", "-C", "--chdir"],
      strict: true,
    },
    ctx,
  );
  if (i === null) return;
  let j = i;
  for (; j < args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[j].text); j++) {
    // Unlike a shell assignment, `env LANG=$X ls` splits: X="C rm" runs rm.
    if (args[j].dynamic)
      return ctx.add("high", `\`env\` gets ${args[j].text}, decided at run time, which could split into a command`);
    const f = assignmentFinding(args[j].text);
    ctx.add(f.risk, f.reason);
  }
  const rest = args.slice(j);
  if (rest.length === 0 && reportOpenTail("env", ctx)) return;
  ctx.add("low", rest.length > 0 ? "`env` runs a command with a changed environment" : "`env` prints the environment");
  if (rest.length > 0) ctx.judgeArgv(rest, { openTail: ctx.openTail });
};

const PRIVILEGED = ["-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "-T", "--user", "--group"];
const escalates = (name: string): Rule =>
  highWrapper(name, "runs the command with another user's privileges (privilege escalation)", { valued: PRIVILEGED });

/** The word after the first of `flags`, if any. */
function after(args: string[], ...flags: string[]): string | undefined {
  const i = args.findIndex((x) => flags.includes(x));
  return i < 0 ? undefined : args[i + 1];
}

/** `watch [-n SECS] [options] COMMAND...`: the words after the options, joined as `sh -c` would see them. */
function watchScript(args: string[]): string | undefined {
  let i = 0;
  while (i < args.length && args[i].startsWith("-"))
    i += ["-n", "--interval", "-q", "--equexit"].includes(args[i]) ? 2 : 1;
  return args.slice(i).join(" ") || undefined;
}

const scriptRunner =
  (name: string, reason: string, scriptFrom: (args: string[]) => string | undefined): Rule =>
  (args, ctx) => {
    ctx.add("high", `\`${name}\` ${reason}`);
    const script = scriptFrom(args.map((a) => a.text));
    if (script !== undefined) ctx.judgeScript(script);
  };

export const WRAPPER_RULES: Record<string, Rule> = {
  env,
  nice: lowWrapper(
    "nice",
    "runs a command at a lower priority",
    { valued: ["-n", "--adjustment"] },
    "`nice` prints the priority",
  ),
  timeout: lowWrapper(
    "timeout",
    "runs a command with a time limit",
    {
      flags: ["--preserve-status", "--foreground", "-v", "--verbose"],
      valued: ["-s", "-k", "--signal", "--kill-after"],
      positional: 1,
    },
    "`timeout` without a command does nothing",
  ),
  time: lowWrapper(
    "time",
    "times a command",
    { flags: ["-p", "--portability"] },
    "`time` without a command does nothing",
  ),
  stdbuf: lowWrapper(
    "stdbuf",
    "runs a command with other buffering",
    { valued: ["-i", "-o", "-e", "--input", "--output", "--error"] },
    "`stdbuf` without a command does nothing",
  ),
  xargs: lowWrapper(
    "xargs",
    "runs a command on words read from its input",
    {
      flags: ["-0", "--null", "-r", "--no-run-if-empty", "-t", "--verbose", "-x", "--exit"],
      valued: [
        "-d",
        "--delimiter",
        "-n",
        "--max-args",
        "-L",
        "--max-lines",
        "-P",
        "--max-procs",
        "-s",
        "--max-chars",
        "-E",
        "-a",
        "--arg-file",
        "-I",
      ],
    },
    "`xargs` without a command only echoes its input",
  ),
  sudo: escalates("sudo"),
  doas: escalates("doas"),
  pkexec: escalates("pkexec"),
  runuser: escalates("runuser"),
  su: scriptRunner("su", "switches to another user (privilege escalation)", (a) => after(a, "-c", "--command")),
  nohup: highWrapper("nohup", "keeps a command running after the task and writes `nohup.out`"),
  setsid: highWrapper("setsid", "starts a command outside the task's session, where it outlives the task"),
  chroot: highWrapper("chroot", "needs root and runs a command in another root filesystem", { positional: 1 }),
  unshare: highWrapper("unshare", "runs a command in new namespaces, with other rights"),
  nsenter: highWrapper("nsenter", "runs a command inside another process's namespaces"),
  flock: highWrapper("flock", "creates a lock file and runs a command", { positional: 1 }),
  ionice: highWrapper("ionice", "changes a command's disk priority", { valued: ["-c", "-n", "-p", "-P", "-u"] }),
  chrt: highWrapper("chrt", "changes a command's scheduling", { positional: 1 }),
  taskset: highWrapper("taskset", "pins a command to processors", { positional: 1 }),
  unbuffer: highWrapper("unbuffer", "runs a command through `expect`"),
  strace: highWrapper("strace", "traces a command and can write files (`-o`) or inject faults", {
    valued: ["-o", "-e", "-p", "-s", "-u"],
  }),
  ltrace: highWrapper("ltrace", "traces a command and can write files (`-o`)", {
    valued: ["-o", "-e", "-p", "-s", "-u"],
  }),
  valgrind: highWrapper("valgrind", "runs a command under a debugger"),
  firejail: highWrapper("firejail", "runs a command with a sandbox profile of its own"),
  "systemd-run": highWrapper("systemd-run", "starts a command as a system service that outlives the task"),
  watch: scriptRunner("watch", "runs a command repeatedly through the shell", watchScript),
  script: scriptRunner("script", "records a session to a file and runs a command through the shell", (a) =>
    after(a, "-c", "--command"),
  ),
  parallel: highWrapper("parallel", "runs commands built from its input through the shell"),
};
