import { fixed, texts, type Rule } from "./rule-context";

/**
 * Package managers fetch code from a registry and run it (install scripts, `npm init
 * x` runs `create-x`), run the project's scripts (`npm test`), or change the system's
 * packages. All of that is high; only a few local queries are low: `npm ls`, `pip
 * list/show/freeze`, `apt-cache policy/show/search/depends`, `dpkg -l/-L/-s/-S`,
 * `rpm -q…`, and version queries.
 */

const VERSION = new Set(["-v", "--version", "-V", "version"]);

/** A manager whose subcommand is its first operand; `reads` are the local queries. */
const bySubcommand =
  (name: string, reads: readonly string[], why: string): Rule =>
  (argv, ctx) => {
    const args = texts(argv);
    if (argv.some((a) => a.dynamic) || ctx.openTail)
      return ctx.add("high", `\`${name}\` gets an argument decided at run time`);
    if (args.length === 1 && VERSION.has(args[0])) return ctx.add("low", `\`${name} ${args[0]}\` prints its version`);
    const sub = args.find((a) => !a.startsWith("-"));
    const optionsOk = args.every(
      (a) => !a.startsWith("-") || a === "--json" || a === "--depth=0" || a === "-a" || a === "--all",
    );
    if (sub !== undefined && reads.includes(sub) && optionsOk)
      return ctx.add("low", `\`${name} ${sub}\` only lists installed packages`);
    ctx.add("high", `\`${name}${sub ? " " + sub : ""}\` ${why}`);
  };

/** dpkg, rpm and pacman pick the action with a flag. */
const byFlag =
  (name: string, reads: RegExp): Rule =>
  (argv, ctx) => {
    const args = texts(argv);
    if (
      args.length > 0 &&
      !ctx.openTail &&
      argv.every((a) => !a.dynamic) &&
      args.every((a) => !a.startsWith("-") || reads.test(a)) &&
      args.some((a) => reads.test(a))
    )
      return ctx.add("low", `\`${name}\` only queries installed packages`);
    ctx.add("high", `\`${name}\` installs or removes system packages`);
  };

const JS = "fetches packages from the registry or runs project scripts (code the policy cannot read)";
const SYSTEM = "installs, removes or upgrades system packages, or talks to package servers";
const registry = (n: string): Rule => fixed("high", `\`${n}\` downloads and runs code from a package registry`);

export const PACKAGE_RULES: Record<string, Rule> = {
  npm: bySubcommand("npm", ["ls", "list", "ll", "la", "prefix", "root"], JS),
  yarn: bySubcommand("yarn", [], JS),
  pnpm: bySubcommand("pnpm", ["ls", "list"], JS),
  bun: bySubcommand("bun", [], JS),
  pip: bySubcommand(
    "pip",
    ["list", "show", "freeze"],
    "installs or removes Python packages, or talks to the package index",
  ),
  pip3: bySubcommand(
    "pip3",
    ["list", "show", "freeze"],
    "installs or removes Python packages, or talks to the package index",
  ),
  "apt-cache": bySubcommand(
    "apt-cache",
    ["policy", "show", "search", "depends", "rdepends", "showpkg", "madison"],
    SYSTEM,
  ),
  apt: bySubcommand("apt", [], SYSTEM),
  "apt-get": bySubcommand("apt-get", [], SYSTEM),
  aptitude: bySubcommand("aptitude", [], SYSTEM),
  dnf: bySubcommand("dnf", [], SYSTEM),
  yum: bySubcommand("yum", [], SYSTEM),
  zypper: bySubcommand("zypper", [], SYSTEM),
  apk: bySubcommand("apk", [], SYSTEM),
  brew: bySubcommand("brew", [], SYSTEM),
  snap: bySubcommand("snap", [], SYSTEM),
  flatpak: bySubcommand("flatpak", [], SYSTEM),
  port: bySubcommand("port", [], SYSTEM),
  emerge: bySubcommand("emerge", [], SYSTEM),
  gem: bySubcommand("gem", [], "installs Ruby gems, which run code"),
  composer: bySubcommand("composer", [], "installs PHP packages, which run code"),
  conda: bySubcommand("conda", [], "installs packages into environments"),
  uv: bySubcommand("uv", [], "installs Python packages or runs tools from the index"),
  poetry: bySubcommand("poetry", [], "installs Python packages or runs project scripts"),
  dpkg: byFlag("dpkg", /^-(l|L|s|S|p|-list|-listfiles|-status|-search)$/),
  "dpkg-query": byFlag("dpkg-query", /^-(l|L|s|S|W|-list|-listfiles|-status|-search|-show)$/),
  rpm: byFlag("rpm", /^-(q[a-z]*|-query)$/),
  pacman: byFlag("pacman", /^-Q[a-z]*$/),
  npx: registry("npx"),
  pnpx: registry("pnpx"),
  bunx: registry("bunx"),
  pipx: registry("pipx"),
  uvx: registry("uvx"),
  corepack: registry("corepack"),
};
