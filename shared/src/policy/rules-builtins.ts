import { fixed, texts, type Rule } from "./rule-context";
import { assignmentFinding } from "./variables";

/**
 * Shell built-ins that change what later commands mean: aliases, `hash` entries,
 * variables, shell options, traps, `command`/`builtin`/`enable` (which pick a different
 * implementation of a name), `eval`/`source`/`exec`. All high; the few read-only forms
 * (`command -v`, `set -e`, `alias` with no arguments...) are low.
 */

const shadows = (what: string): string => `${what}, which can change what later commands do`;

const alias: Rule = (argv, ctx) => {
  const defs = texts(argv).filter((a) => a.includes("="));
  if (defs.length === 0 && argv.every((a) => !a.dynamic)) return ctx.add("low", "`alias` lists aliases");
  for (const d of defs.length > 0 ? defs : ["(run-time name)"])
    ctx.add("high", shadows(`defines an alias \`${d.split("=")[0]}\``));
};

const hash: Rule = (argv, ctx) => {
  if (argv.length === 0) return ctx.add("low", "`hash` lists remembered program paths");
  const p = texts(argv).indexOf("-p");
  ctx.add(
    "high",
    shadows(
      p >= 0
        ? `makes \`${argv[p + 2]?.text ?? "a name"}\` run ${argv[p + 1]?.text ?? "another program"} (\`hash -p\`)`
        : "changes the shell's table of program paths (`hash`)",
    ),
  );
};

/**
 * `export`, `declare`, `local`...: every assignment is judged like `NAME=value`; other uses change variable attributes.
 */
const declare =
  (name: string): Rule =>
  (argv, ctx) => {
    const args = texts(argv);
    if (args.length === 0 || (args.length === 1 && args[0] === "-p"))
      return ctx.add("low", `\`${name}\` lists variables`);
    for (const a of args.filter((x) => !x.startsWith("-"))) {
      const f = assignmentFinding(a.includes("=") ? a : `${a}=`);
      ctx.add(
        "high",
        f.risk === "high" ? f.reason : shadows(`\`${name} ${a}\` changes the variable \`${a.split("=")[0]}\``),
      );
    }
    if (args.every((x) => x.startsWith("-")))
      ctx.add("high", shadows(`\`${name} ${args.join(" ")}\` changes shell variables or functions`));
  };

/** `set -e`, `set -o pipefail`...: options that only make the script stricter or noisier. */
const SAFE_SET_LETTERS = /^[-+][euxvfnC]+$/;
const SAFE_SET_NAMES = new Set([
  "errexit",
  "nounset",
  "xtrace",
  "verbose",
  "noglob",
  "noclobber",
  "pipefail",
  "noexec",
]);

const set: Rule = (argv, ctx) => {
  const args = texts(argv);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (SAFE_SET_LETTERS.test(a)) continue;
    if ((a === "-o" || a === "+o") && SAFE_SET_NAMES.has(args[i + 1] ?? "")) i++;
    else return ctx.add("high", shadows(`\`set ${args.slice(i).join(" ")}\` changes shell options or arguments`));
  }
  ctx.add("low", args.length === 0 ? "`set` lists variables" : "`set` only makes the shell stricter or show its steps");
};

const command: Rule = (argv, ctx) => {
  const args = texts(argv);
  if ((args[0] === "-v" || args[0] === "-V") && argv.every((a) => !a.dynamic))
    return ctx.add("low", "`command -v` looks a program up");
  ctx.add("high", shadows("`command` bypasses shell functions to run the program behind a name"));
  const rest = args[0] === "-p" ? argv.slice(1) : argv;
  if (rest.length > 0) ctx.judgeArgv(rest);
};

const printf: Rule = (argv, ctx) => {
  const first = argv[0];
  if (first && (first.dynamic || (first.text.startsWith("-") && first.text !== "--")))
    return ctx.add(
      "high",
      "`printf -v` (or a format decided at run time) assigns a variable, which can change what later commands do",
    );
  ctx.add("low", "`printf` prints formatted text");
};

const trap: Rule = (argv, ctx) => {
  const args = texts(argv);
  if (args.length === 0 || args[0] === "-l" || args[0] === "-p") return ctx.add("low", "`trap` lists signal handlers");
  ctx.add("high", shadows("`trap` sets a command to run on a signal or on exit"));
  if (!args[0].startsWith("-") && args.length > 1) ctx.judgeScript(args[0]);
};

const runs = (what: string): Rule => fixed("high", what);

export const BUILTIN_RULES: Record<string, Rule> = {
  alias,
  hash,
  set,
  command,
  printf,
  trap,
  export: declare("export"),
  declare: declare("declare"),
  typeset: declare("typeset"),
  local: declare("local"),
  readonly: declare("readonly"),
  unalias: fixed("high", shadows("`unalias` removes aliases")),
  unset: fixed("high", shadows("`unset` removes variables or functions")),
  shopt: (argv, ctx) =>
    argv.length === 0
      ? ctx.add("low", "`shopt` lists shell options")
      : ctx.add("high", shadows("`shopt` changes shell options")),
  builtin: fixed("high", shadows("`builtin` runs a shell built-in behind a name")),
  enable: fixed("high", shadows("`enable` turns shell built-ins on or off or loads new ones")),
  read: fixed("high", shadows("`read` assigns variables from its input")),
  mapfile: fixed("high", shadows("`mapfile` assigns variables from its input")),
  readarray: fixed("high", shadows("`readarray` assigns variables from its input")),
  getopts: fixed("high", shadows("`getopts` assigns variables")),
  let: fixed("high", shadows("`let` assigns variables")),
  ulimit: (argv, ctx) =>
    argv.length === 0 || (argv.length === 1 && argv[0].text === "-a")
      ? ctx.add("low", "`ulimit` prints resource limits")
      : ctx.add("high", "`ulimit` changes resource limits"),
  eval: (argv, ctx) => {
    ctx.add("high", "`eval` runs text as commands, decided at run time");
    ctx.judgeScript(texts(argv).join(" "));
  },
  source: runs("`source` runs a script file in this shell, whose contents the policy cannot check"),
  ".": runs("`.` runs a script file in this shell, whose contents the policy cannot check"),
  exec: (argv, ctx) => {
    ctx.add("high", "`exec` replaces the shell or changes its open files");
    const rest = argv.findIndex((a) => !a.text.startsWith("-"));
    if (rest >= 0) ctx.judgeArgv(argv.slice(rest));
  },
  coproc: runs("`coproc` starts a background command connected to the shell"),
  "[[": runs("`[[` evaluates arithmetic that can run commands; use `test` or `[`"),
};
