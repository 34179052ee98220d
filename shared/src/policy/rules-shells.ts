import { fixed, texts, type Rule } from "./rule-context";

/**
 * Shells and interpreters run code the policy cannot read, so they are always high. A
 * script given as text (`sh -c '…'`, a here-document) is still judged, so that a
 * forbidden command inside stays forbidden; a download piped into a shell gets its
 * own reason that no device entry can excuse.
 */

const DOWNLOADERS = new Set(["curl", "wget", "fetch", "aria2c"]);

const shell =
  (name: string): Rule =>
  (argv, ctx) => {
    const args = texts(argv);
    let script: string | undefined;
    let hasC = false;
    let file: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (/^-[A-Za-z]*c[A-Za-z]*$/.test(a)) hasC = true;
      else if (a === "-o" || a === "+o" || a === "-O" || a === "+O") i++;
      else if (!a.startsWith("-") && !a.startsWith("+")) {
        if (hasC) script = a;
        else file = a;
        break;
      }
    }
    if (hasC) {
      ctx.add("high", `\`${name} -c\` runs a script in a new shell, which the policy does not run unapproved`);
      if (script !== undefined) ctx.judgeScript(script);
      return;
    }
    if (file !== undefined)
      return ctx.add("high", `\`${name}\` runs the script file ${file}, whose contents the policy cannot check`);
    const stdin = ctx.stdin;
    switch (stdin.kind) {
      case "heredoc":
        ctx.add("high", `\`${name}\` runs the commands of a here-document in a new shell`);
        return ctx.judgeScript(stdin.body);
      case "pipe": {
        const dl = stdin.from.find((p) => DOWNLOADERS.has(p));
        if (dl)
          return ctx.addFixed(
            "high",
            `pipes a download (${dl}) straight into ${name}: the downloaded script runs unseen`,
          );
        return ctx.add("high", `\`${name}\` runs commands read from its input, which the policy cannot check`);
      }
      case "terminal":
        return ctx.add("high", `\`${name}\` starts a shell`);
      default: {
        const never: never = stdin;
        return never;
      }
    }
  };

const VERSION_FLAGS = new Set(["-v", "-V", "--version", "-version", "version"]);

/** Interpreters: a version query is low; anything else runs code the policy cannot read. */
const interpreter =
  (name: string): Rule =>
  (argv, ctx) => {
    const args = texts(argv);
    if (args.length === 1 && VERSION_FLAGS.has(args[0]) && !argv[0].dynamic && !ctx.openTail)
      return ctx.add("low", `\`${name} ${args[0]}\` prints its version`);
    if (args.some((a) => /^-[A-Za-z]*[ceErp]$|^--eval$|^--print$/.test(a)))
      return ctx.add("high", `\`${name}\` runs inline code that the policy cannot check`);
    const m = args.indexOf("-m");
    if (m >= 0) return ctx.add("high", `\`${name} -m ${args[m + 1] ?? ""}\` runs a module, which can do anything`);
    const script = args.find((a) => !a.startsWith("-"));
    if (script)
      return ctx.add("high", `\`${name}\` runs the program ${script}, whose contents the policy cannot check`);
    ctx.add("high", `\`${name}\` runs a program read from its input`);
  };

const SHELLS = ["sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "csh", "tcsh", "yash", "rbash", "pwsh"];
const INTERPRETERS = [
  "python",
  "python2",
  "python3",
  "node",
  "nodejs",
  "deno",
  "ruby",
  "irb",
  "perl",
  "php",
  "lua",
  "luajit",
  "tclsh",
  "wish",
  "Rscript",
  "R",
  "julia",
  "osascript",
  "guile",
  "racket",
  "ghci",
  "scala",
  "groovy",
  "java",
  "jshell",
  "expect",
  "gdb",
  "lldb",
  "sqlite3",
  "psql",
  "mysql",
  "bc",
  "dc",
  "m4",
  "jjs",
];

export const SHELL_RULES: Record<string, Rule> = {
  ...Object.fromEntries(SHELLS.map((s) => [s, shell(s)])),
  ...Object.fromEntries(INTERPRETERS.map((p) => [p, interpreter(p)])),
  busybox: fixed("high", "`busybox` contains a shell and every other tool; what it runs cannot be vetted by name"),
  toybox: fixed("high", "`toybox` contains many tools; what it runs cannot be vetted by name"),
};
