import type { Rule, RuleContext } from "./rule-context";

/**
 * Programs that run another program: the wrapper is judged for what it adds
 * (privilege escalation for `sudo`), and the wrapped command is judged as its own part.
 */

/** Environment variables that change which code runs: setting them hijacks later commands. */
const LOADER_VARS = /^(PATH|LD_PRELOAD|LD_LIBRARY_PATH|LD_AUDIT|DYLD_[A-Z_]+|BASH_ENV|ENV|PROMPT_COMMAND|IFS|SHELLOPTS|BASHOPTS|PS4|GIT_SSH_COMMAND|GIT_EXEC_PATH|NODE_OPTIONS|PYTHONSTARTUP|PYTHONPATH|PERL5OPT|RUBYOPT)$/;

/** Judges a `NAME=value` assignment; returns true when it was risky. */
export function judgeAssignment(text: string, ctx: RuleContext): boolean {
  const name = text.split(/\+?=/)[0];
  if (!LOADER_VARS.test(name)) return false;
  ctx.add("high", `setting ${name} changes which programs or libraries later commands load`);
  return true;
}

interface WrapperSpec {
  /** Options that take a separate value (`-u root`). */
  valueOpts?: readonly string[];
  /** Operands before the wrapped command (`timeout 10 cmd` has one). */
  positional?: number;
  /** What the wrapper adds by itself. */
  own?: (ctx: RuleContext) => void;
  /** What happens when there is no wrapped command. */
  alone?: (ctx: RuleContext) => void;
}

const wrapper =
  (spec: WrapperSpec): Rule =>
  (args, ctx) => {
    let i = 0;
    while (i < args.length && args[i].startsWith("-") && args[i] !== "-") {
      if (args[i] === "--") {
        i++;
        break;
      }
      i += spec.valueOpts?.includes(args[i]) ? 2 : 1;
    }
    i += spec.positional ?? 0;
    spec.own?.(ctx);
    const rest = args.slice(i);
    if (rest.length > 0) ctx.judgeArgv(rest);
    else spec.alone?.(ctx);
  };

const privileged = (name: string): WrapperSpec => ({
  valueOpts: ["-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "-T", "--user", "--group"],
  own: (ctx) => ctx.add("high", `${name} runs the command with another user's privileges (privilege escalation)`),
  alone: (ctx) => ctx.add("high", `${name} alone opens a privileged shell`),
});

const su: Rule = (args, ctx) => {
  ctx.add("high", "su switches to another user (privilege escalation)");
  const c = args.findIndex((a) => a === "-c" || a === "--command");
  if (c >= 0 && args[c + 1] !== undefined) ctx.judgeScript(args[c + 1]);
};

const env: Rule = (args, ctx) => {
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === "-S" || a === "--split-string") {
      ctx.judgeScript(args.slice(i + 1).join(" "));
      return;
    }
    if (a === "-u" || a === "-C" || a === "--unset" || a === "--chdir") i++;
    else if (a === "--") {
      i++;
      break;
    } else if (!a.startsWith("-")) break;
  }
  for (; i < args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[i]); i++) judgeAssignment(args[i], ctx);
  const rest = args.slice(i);
  if (rest.length > 0) ctx.judgeArgv(rest);
  else ctx.add("low", "env prints the environment");
};

const xargs: Rule = (args, ctx) => {
  const valueOpts = ["-I", "-L", "-n", "-P", "-d", "-E", "-s", "-a", "--delimiter", "--max-args", "--max-procs", "--arg-file"];
  let i = 0;
  while (i < args.length && args[i].startsWith("-")) i += valueOpts.includes(args[i]) ? 2 : 1;
  const rest = args.slice(i);
  if (rest.length > 0) ctx.judgeArgv(rest);
  else ctx.add("low", "xargs without a command only echoes its input");
};

const watch: Rule = (args, ctx) => {
  let i = 0;
  while (i < args.length && args[i].startsWith("-")) i += ["-n", "--interval", "-g"].includes(args[i]) ? 2 : 1;
  if (i < args.length) ctx.judgeScript(args.slice(i).join(" "));
};

const command: Rule = (args, ctx) => {
  if (args[0] === "-v" || args[0] === "-V") return ctx.add("low", "command -v looks a program up");
  const rest = args[0] === "-p" ? args.slice(1) : args;
  if (rest.length > 0) ctx.judgeArgv(rest);
};

const transparent = (spec: WrapperSpec = {}): Rule => wrapper(spec);

export const WRAPPER_RULES: Record<string, Rule> = {
  sudo: wrapper(privileged("sudo")),
  doas: wrapper(privileged("doas")),
  pkexec: wrapper(privileged("pkexec")),
  runuser: wrapper(privileged("runuser")),
  su,
  chroot: wrapper({ positional: 1, own: (ctx) => ctx.add("high", "chroot needs root and runs a command in another root filesystem") }),
  env,
  xargs,
  watch,
  command,
  builtin: transparent(),
  exec: transparent({ valueOpts: ["-a"], alone: (ctx) => ctx.add("low", "exec without a command only applies redirections") }),
  nice: transparent({ valueOpts: ["-n", "--adjustment"] }),
  nohup: transparent(),
  setsid: transparent(),
  time: transparent({ valueOpts: ["-o", "-f", "--output", "--format"] }),
  timeout: transparent({ valueOpts: ["-s", "-k", "--signal", "--kill-after"], positional: 1 }),
  stdbuf: transparent({ valueOpts: ["-i", "-o", "-e"] }),
  ionice: transparent({ valueOpts: ["-c", "-n", "-p", "-P", "-u"] }),
  chrt: transparent({ positional: 1 }),
  taskset: transparent({ positional: 1 }),
  unbuffer: transparent(),
};
