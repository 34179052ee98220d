import { hasLong, splitArgs, type Rule } from "./rule-context";

/** Rules for git, language package managers, system package managers and interpreters. */

const GIT_READ = new Set(["status", "log", "diff", "show", "rev-parse", "ls-files", "ls-tree", "blame", "describe", "shortlog", "grep", "cat-file", "whatchanged", "help", "version", "count-objects", "show-ref", "reflog", "remote"]);
const GIT_RECOVERABLE = new Set(["add", "commit", "fetch", "pull", "switch", "merge", "rebase", "clone", "init", "mv", "cherry-pick", "revert", "am", "apply", "bisect", "stash", "tag", "branch", "notes", "worktree", "submodule", "push", "checkout", "reset", "clean", "config", "rm"]);
/** `git -c key=value` keys that make git run a program. */
const GIT_EXEC_CONFIG = /^(core\.(sshcommand|pager|editor|fsmonitor|hookspath|gitproxy)|alias\.|credential\.helper|diff\..*\.textconv|filter\.|protocol\.ext)/i;

const git: Rule = (args, ctx) => {
  let i = 0;
  while (i < args.length && args[i].startsWith("-")) {
    const opt = args[i];
    if (opt === "-c" && GIT_EXEC_CONFIG.test(args[i + 1] ?? "")) ctx.add("high", `git -c ${args[i + 1]?.split("=")[0]} makes git run another program`);
    i += opt === "-C" || opt === "-c" ? 2 : 1;
  }
  const sub = args[i];
  const rest = args.slice(i + 1);
  const s = splitArgs(rest);
  if (sub === undefined) return ctx.add("low", "git without a subcommand prints help");
  const high = (why: string) => ctx.add("high", `git ${sub}: ${why}`);
  switch (sub) {
    case "push":
      if (s.short.has("f") || hasLong(s, "--force", "--force-with-lease", "--mirror", "--delete") || s.short.has("d") || s.operands.some((o) => o.startsWith("+") || o.startsWith(":")))
        return high("force-pushing or deleting remote refs can destroy others' history");
      break;
    case "reset":
      if (hasLong(s, "--hard", "--merge", "--keep")) return high("--hard discards uncommitted changes");
      break;
    case "clean":
      if ((s.short.has("f") || hasLong(s, "--force")) && !s.short.has("n") && !hasLong(s, "--dry-run")) return high("-f deletes untracked files");
      break;
    case "checkout":
      if (rest.includes("--") || rest.includes(".") || s.short.has("f") || hasLong(s, "--force")) return high("overwrites uncommitted changes in files");
      break;
    case "branch":
      if (s.short.has("D") || (s.short.has("d") && s.short.has("f")) || (hasLong(s, "--delete") && hasLong(s, "--force"))) return high("-D deletes a branch even if unmerged");
      break;
    case "stash":
      if (rest[0] === "drop" || rest[0] === "clear") return high("drops stashed changes");
      break;
    case "rm":
      if (!hasLong(s, "--cached")) return high("deletes files from the working tree");
      break;
    case "config":
      if (!s.short.has("l") && !hasLong(s, "--get", "--get-all", "--list", "--get-regexp") && s.operands.length > 1) return high("changes git configuration, which can make git run programs");
      break;
    case "restore":
    case "filter-branch":
    case "filter-repo":
    case "prune":
    case "update-ref":
    case "gc":
      return high("can discard changes or history");
    case "remote":
      if (rest.length > 0 && !["-v", "--verbose", "show", "get-url"].includes(rest[0])) return high("changes the repository's remotes");
      break;
    case "reflog":
      if (rest[0] === "expire" || rest[0] === "delete") return high("drops history from the reflog");
      break;
  }
  if (GIT_READ.has(sub)) ctx.add("low", `git ${sub} only reads the repository`);
  else if (GIT_RECOVERABLE.has(sub)) ctx.add("low", `git ${sub} changes the repository in a recoverable way`);
  else ctx.add("high", `git ${sub} is not a subcommand the policy knows`);
};

const NPM_SAFE = new Set(["run", "run-script", "test", "t", "start", "ci", "install", "i", "add", "ls", "list", "outdated", "view", "info", "audit", "pack", "build", "help", "init", "uninstall", "remove", "rm", "un", "update", "up", "explain", "why", "prefix", "root", "bin", "doctor", "version"]);

/** npm, yarn, pnpm and bun: global installs change the whole system; project commands are low. */
const jsPackageManager =
  (name: string): Rule =>
  (args, ctx) => {
    const s = splitArgs(args);
    const sub = s.operands[0];
    if (s.short.has("g") || hasLong(s, "--global", "--location") || sub === "global") return ctx.add("high", `${name}: global installs or removals change every user's tools`);
    if (sub === "exec" || sub === "x" || sub === "dlx") return ctx.add("high", `${name} ${sub} downloads and runs a package`);
    if (sub === "publish" || sub === "unpublish" || sub === "deprecate") return ctx.add("high", `${name} ${sub} changes a public registry`);
    const label = sub === undefined ? name : `${name} ${sub}`;
    // yarn and pnpm take script names as subcommands (`yarn build`), so any other word is a project command.
    if (sub === undefined || NPM_SAFE.has(sub) || name !== "npm") return ctx.add("low", `${label} works on the current project (project scripts may run)`);
    ctx.add("high", `${name} ${sub} is not a subcommand the policy knows`);
  };

const PIP_READ = new Set(["list", "show", "freeze", "check", "search", "help", "config", "debug", "inspect", "index"]);

const pip: Rule = (args, ctx) => {
  const s = splitArgs(args);
  const sub = s.operands[0];
  if (sub === undefined) return ctx.add("low", "pip without a subcommand prints help or its version");
  if (PIP_READ.has(sub) && !(sub === "config" && s.operands[1] === "set")) return ctx.add("low", `pip ${sub} only reads`);
  ctx.add("high", `pip ${sub} installs or removes Python packages`);
};

const SYSTEM_PKG_READ = new Set(["list", "search", "show", "policy", "info", "depends", "rdepends", "madison", "changelog", "query", "provides", "whatprovides", "repolist", "history", "outdated", "leaves", "deps", "uses", "desc", "--version", "-v", "help"]);

/** apt, dnf, brew and friends: anything but a query installs, removes or upgrades system packages. */
const systemPackages =
  (name: string): Rule =>
  (args, ctx) => {
    const sub = args.find((a) => !a.startsWith("-")) ?? args[0];
    if (sub !== undefined && SYSTEM_PKG_READ.has(sub)) return ctx.add("low", `${name} ${sub} only queries packages`);
    ctx.add("high", `${name}${sub ? " " + sub : ""} installs, removes or upgrades system packages`);
  };

/** pacman, dpkg and rpm select the action with a flag: query flags are read-only. */
const flagPackages =
  (name: string, readOnly: RegExp): Rule =>
  (args, ctx) => {
    if (args.length > 0 && args.every((a) => !a.startsWith("-") || readOnly.test(a))) return ctx.add("low", `${name} only queries packages`);
    ctx.add("high", `${name} installs or removes system packages`);
  };

const VERSION_FLAGS = new Set(["-v", "-V", "--version", "-version", "version", "--help", "-h"]);

/** Interpreters: a version query is low; inline code or a program file is code the policy cannot read. */
const interpreter =
  (name: string, inlineFlags: readonly string[]): Rule =>
  (args, ctx) => {
    if (args.length > 0 && args.every((a) => VERSION_FLAGS.has(a))) return ctx.add("low", `${name} ${args.join(" ")} prints its version`);
    const m = args.indexOf("-m");
    if (m >= 0 && (args[m + 1] === "pip" || args[m + 1] === "pip3")) return pip(args.slice(m + 2), ctx);
    if (args.some((a) => inlineFlags.includes(a))) return ctx.add("high", `${name} runs inline code that the policy cannot check`);
    const script = args.find((a) => !a.startsWith("-"));
    if (script) return ctx.add("high", `${name} runs the program ${script}, whose contents the policy cannot check`);
    ctx.add("high", `${name} reads a program from its input`);
  };

const PY_INLINE = ["-c"];
const JS_INLINE = ["-e", "--eval", "-p", "--print", "eval"];

export const TOOL_RULES: Record<string, Rule> = {
  git,
  npm: jsPackageManager("npm"),
  yarn: jsPackageManager("yarn"),
  pnpm: jsPackageManager("pnpm"),
  pip,
  pip3: pip,
  pipx: (_a, ctx) => ctx.add("high", "pipx installs Python applications"),
  npx: (_a, ctx) => ctx.add("high", "npx downloads and runs a package"),
  pnpx: (_a, ctx) => ctx.add("high", "pnpx downloads and runs a package"),
  bunx: (_a, ctx) => ctx.add("high", "bunx downloads and runs a package"),
  apt: systemPackages("apt"),
  "apt-get": systemPackages("apt-get"),
  "apt-cache": (_a, ctx) => ctx.add("low", "apt-cache only queries packages"),
  aptitude: systemPackages("aptitude"),
  dnf: systemPackages("dnf"),
  yum: systemPackages("yum"),
  zypper: systemPackages("zypper"),
  apk: systemPackages("apk"),
  brew: systemPackages("brew"),
  snap: systemPackages("snap"),
  flatpak: systemPackages("flatpak"),
  port: systemPackages("port"),
  emerge: systemPackages("emerge"),
  pacman: flagPackages("pacman", /^-(Q\w*|S[si]\w*)$/),
  dpkg: flagPackages("dpkg", /^-(l|L|s|S|p|-list|-listfiles|-status|-search)$/),
  rpm: flagPackages("rpm", /^-(q\w*|-query)$/),
  python: interpreter("python", PY_INLINE),
  python3: interpreter("python3", PY_INLINE),
  node: interpreter("node", JS_INLINE),
  deno: interpreter("deno", JS_INLINE),
  bun: interpreter("bun", JS_INLINE),
  ruby: interpreter("ruby", ["-e"]),
  perl: interpreter("perl", ["-e", "-E"]),
  php: interpreter("php", ["-r"]),
};
