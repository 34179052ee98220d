import { vetReadOnly, type ReadOnlySpec } from "./options";
import { reportOpenTail, type Arg, type Rule } from "./rule-context";

/**
 * git: low only for subcommands that read the repository, with vetted options. Every
 * other subcommand changes the repository, your files or a remote, or runs programs
 * (`rebase -x`, `bisect run`, `submodule foreach`, hooks, filters, pagers, editors), so
 * it is high. `git -c`, `--exec-path`, `--git-dir`/`--work-tree` (which can point git at
 * a config that runs programs) are high too; `GIT_*` variables are handled with the
 * other variables (high).
 */

const REV_LONG = [
  "all",
  "branches?",
  "tags?",
  "remotes?",
  "not",
  "since=",
  "after=",
  "until=",
  "before=",
  "author=",
  "committer=",
  "grep=",
  "invert-grep",
  "all-match",
  "regexp-ignore-case",
  "extended-regexp",
  "fixed-strings",
  "max-count=",
  "skip=",
  "reverse",
  "no-merges",
  "merges",
  "first-parent",
  "left-right",
  "cherry-pick",
  "topo-order",
  "date-order",
  "author-date-order",
  "boundary",
  "ancestry-path",
  "simplify-by-decoration",
  "full-history",
  "dense",
  "sparse",
  "follow",
  "walk-reflogs",
  "parents",
  "children",
  "count",
  "use-mailmap",
  "mailmap",
  "encoding=",
  "date=",
  "relative-date",
  "oneline",
  "graph",
  "decorate?",
  "no-decorate",
  "format=",
  "pretty?",
  "abbrev-commit",
  "no-abbrev-commit",
  "abbrev?",
  "log-size",
  "source",
  "no-walk?",
  "do-walk",
];
const DIFF_LONG = [
  "patch",
  "no-patch",
  "stat?",
  "shortstat",
  "numstat",
  "dirstat?",
  "compact-summary",
  "summary",
  "name-only",
  "name-status",
  "raw",
  "full-index",
  "binary",
  "color?",
  "no-color",
  "word-diff?",
  "color-words?",
  "color-moved?",
  "unified=",
  "cached",
  "staged",
  "merge-base",
  "no-index",
  "minimal",
  "patience",
  "histogram",
  "diff-algorithm=",
  "find-renames?",
  "find-copies?",
  "no-renames",
  "check",
  "exit-code",
  "quiet",
  "relative?",
  "text",
  "function-context",
  "no-ext-diff",
  "no-textconv",
  "ignore-space-change",
  "ignore-all-space",
  "ignore-blank-lines",
  "ignore-cr-at-eol",
  "ignore-space-at-eol",
  "diff-filter=",
  "src-prefix=",
  "dst-prefix=",
  "no-prefix",
  "submodule?",
  "ignore-submodules?",
  "stat-width=",
  "stat-count=",
  "inter-hunk-context=",
  "irreversible-delete",
  "pickaxe-all",
  "pickaxe-regex",
  "line-prefix=",
  "ws-error-highlight=",
  "indent-heuristic",
  "no-indent-heuristic",
  "break-rewrites?",
];
/**
 * `-p -u -s -z ...`; `-n`, `-S`, `-G`, `-U`, `-L`, `-l` take a value. Not `-c` (combined diff is fine, but `-c` is also
 * git's config option: keep it simple).
 */
const LOG_FLAGS = "pusMCBDzRabwWiEF";
const LOG_VALUED = "nSGULl";
const LOG_HARMFUL = {
  "--output": "writes its output to a file",
  "--ext-diff": "runs an external diff program",
  "--textconv": "runs text-conversion filters",
  "--show-signature": "runs gpg to check signatures",
};
const logLike = (does: string): ReadOnlySpec => ({
  does,
  flags: LOG_FLAGS,
  valued: LOG_VALUED,
  numeric: true,
  long: [...REV_LONG, ...DIFF_LONG],
  harmful: LOG_HARMFUL,
});

const listOnly =
  (what: string): ReadOnlySpec["check"] =>
  (operands, ctx, options) => {
    if (operands.length === 0 || options.some((o) => o === "-l" || o === "--list" || /^-[a-z]*l/.test(o))) return true;
    ctx.add("high", `\`git ${what}\` with a name creates or changes a ${what}`);
    return false;
  };

const READS: Record<string, ReadOnlySpec> = {
  status: {
    does: "shows the state of the working tree",
    flags: "sbvzu",
    long: [
      "short",
      "branch",
      "porcelain?",
      "long",
      "verbose",
      "untracked-files?",
      "ignored?",
      "ignore-submodules?",
      "show-stash",
      "ahead-behind",
      "no-ahead-behind",
      "column?",
      "no-column",
      "renames",
      "no-renames",
      "find-renames?",
    ],
  },
  log: logLike("shows the history"),
  show: logLike("shows commits and files"),
  diff: logLike("shows changes"),
  whatchanged: logLike("shows the history"),
  shortlog: {
    ...logLike("summarises the history"),
    flags: LOG_FLAGS + "nsec",
    long: [...REV_LONG, "numbered", "summary", "email", "committer", "group="],
  },
  "rev-list": logLike("lists commits"),
  reflog: {
    ...logLike("shows the reflog"),
    check: (ops, ctx) =>
      ops[0]?.text === "expire" || ops[0]?.text === "delete"
        ? (ctx.add("high", "`git reflog expire/delete` drops history"), false)
        : true,
  },
  branch: {
    does: "lists branches",
    flags: "arvl",
    long: [
      "all",
      "remotes",
      "verbose",
      "list",
      "show-current",
      "contains?",
      "no-contains?",
      "merged?",
      "no-merged?",
      "sort=",
      "format=",
      "color?",
      "no-color",
      "column?",
      "no-column",
      "points-at=",
    ],
    check: listOnly("branch"),
  },
  tag: {
    does: "lists tags",
    flags: "nl",
    long: [
      "list",
      "contains?",
      "no-contains?",
      "merged?",
      "no-merged?",
      "sort=",
      "format=",
      "points-at=",
      "column?",
      "no-column",
      "color?",
    ],
    numeric: true,
    check: listOnly("tag"),
  },
  "rev-parse": {
    does: "resolves names in the repository",
    flags: "q",
    long: [
      "show-toplevel",
      "abbrev-ref?",
      "short?",
      "verify",
      "git-dir",
      "git-common-dir",
      "is-inside-work-tree",
      "is-inside-git-dir",
      "is-bare-repository",
      "absolute-git-dir",
      "show-prefix",
      "show-cdup",
      "symbolic",
      "symbolic-full-name",
      "quiet",
      "all",
      "branches?",
      "tags?",
      "show-superproject-working-tree",
      "git-path=",
    ],
  },
  "ls-files": {
    does: "lists tracked files",
    flags: "cdmoisuktvfz",
    valued: "xX",
    long: [
      "cached",
      "deleted",
      "modified",
      "others",
      "ignored",
      "stage",
      "unmerged",
      "killed",
      "exclude=",
      "exclude-from=",
      "exclude-standard",
      "directory",
      "no-empty-directory",
      "full-name",
      "error-unmatch",
      "abbrev?",
      "recurse-submodules",
      "eol",
      "deduplicate",
      "format=",
    ],
  },
  "ls-tree": {
    does: "lists a tree's files",
    flags: "drtlz",
    long: ["name-only", "name-status", "full-name", "full-tree", "abbrev?", "long", "object-only", "format="],
  },
  blame: {
    does: "shows who changed each line",
    flags: "bltsewcpnf",
    valued: "LS",
    long: [
      "root",
      "show-stats",
      "porcelain",
      "line-porcelain",
      "incremental",
      "date=",
      "since=",
      "abbrev?",
      "show-name",
      "show-number",
      "show-email",
      "reverse?",
      "first-parent",
      "color-lines",
      "color-by-age",
      "ignore-rev=",
      "ignore-revs-file=",
      "contents=",
    ],
  },
  describe: {
    does: "names a commit after a tag",
    long: [
      "tags",
      "all",
      "long",
      "abbrev?",
      "always",
      "dirty?",
      "broken?",
      "exact-match",
      "match=",
      "exclude=",
      "contains",
      "first-parent",
      "candidates=",
    ],
  },
  "cat-file": {
    does: "prints objects",
    flags: "tspe",
    long: ["batch?", "batch-check?", "batch-all-objects", "follow-symlinks", "unordered", "buffer"],
  },
  "show-ref": {
    does: "lists refs",
    flags: "sq",
    long: ["head", "heads", "tags", "branches", "verify", "hash?", "abbrev?", "dereference", "quiet", "exists"],
  },
  "for-each-ref": {
    does: "lists refs",
    long: [
      "format=",
      "sort=",
      "count=",
      "points-at=",
      "merged?",
      "no-merged?",
      "contains?",
      "no-contains?",
      "shell",
      "perl",
      "python",
      "tcl",
      "color?",
    ],
  },
  "merge-base": {
    does: "finds a common ancestor",
    flags: "a",
    long: ["all", "octopus", "independent", "is-ancestor", "fork-point"],
  },
  "name-rev": {
    does: "names commits",
    long: ["tags", "refs=", "exclude=", "all", "name-only", "no-undefined", "always"],
  },
  "count-objects": { does: "counts objects", flags: "vH", long: ["verbose", "human-readable"] },
  "check-ignore": {
    does: "explains ignore rules",
    flags: "qvnz",
    long: ["quiet", "verbose", "non-matching", "no-index", "stdin"],
  },
  "check-attr": { does: "shows attributes", flags: "az", long: ["all", "cached", "stdin", "source="] },
  grep: {
    does: "searches tracked files",
    harmful: {
      "-O": "opens the matches in a program it names",
      "--open-files-in-pager": "opens the matches in a program it names",
    },
    flags: "EFGPiywxzvcLlobhHnIaW",
    valued: "efmABC",
    numeric: true,
    long: [
      "cached",
      "untracked",
      "no-index",
      "recurse-submodules",
      "ignore-case",
      "word-regexp",
      "invert-match",
      "line-number",
      "column",
      "count",
      "files-with-matches",
      "name-only",
      "files-without-match",
      "max-depth=",
      "extended-regexp",
      "fixed-strings",
      "perl-regexp",
      "context=",
      "before-context=",
      "after-context=",
      "function-context",
      "heading",
      "break",
      "all-match",
      "quiet",
      "and",
      "or",
      "not",
      "color?",
      "no-color",
      "full-name",
      "max-count=",
      "threads=",
    ],
  },
  version: { does: "prints its version", long: ["build-options"] },
  remote: {
    does: "lists remotes",
    flags: "v",
    long: ["verbose"],
    check: (ops, ctx) =>
      ops.length === 0 || (ops[0].text === "get-url" && ops.length === 2)
        ? true
        : (ctx.add("high", "`git remote` with a subcommand changes or contacts remotes"), false),
  },
  config: {
    does: "reads configuration",
    flags: "lz",
    long: [
      "get",
      "get-all",
      "get-regexp",
      "list",
      "show-origin",
      "show-scope",
      "global",
      "local",
      "system",
      "worktree",
      "name-only",
      "null",
      "type=",
      "bool",
      "int",
      "default=",
      "includes",
      "no-includes",
    ],
    check: (ops, ctx, options) => {
      const reading =
        options.some((o) => /^--(get|list|get-all|get-regexp)$/.test(o) || o === "-l") ||
        ops.length <= 1 ||
        (ops[0].text === "get" && ops.length === 2) ||
        (ops[0].text === "list" && ops.length === 1);
      if (reading && ops.length <= 2) return true;
      ctx.add("high", "`git config` with a value changes git's configuration, which can make git run programs");
      return false;
    },
  },
};

/** Subcommands whose purpose is to talk to another machine. */
const NETWORK = new Set([
  "push",
  "fetch",
  "pull",
  "clone",
  "ls-remote",
  "send-email",
  "request-pull",
  "archive",
  "svn",
  "p4",
  "daemon",
  "http-backend",
]);
/** Subcommands that run programs the policy cannot see. */
const RUNS = new Map([
  ["bisect", "`git bisect run` runs a command on every step"],
  ["submodule", "`git submodule foreach` runs a command in every submodule"],
  ["rebase", "`git rebase -x` runs a command after every commit, and rebases run hooks"],
  ["filter-branch", "`git filter-branch` runs shell filters over the history"],
  ["difftool", "`git difftool` runs an external diff program"],
  ["mergetool", "`git mergetool` runs an external merge program"],
  ["help", "`git help` opens a pager or a browser"],
  ["commit", "`git commit` runs hooks and may open an editor"],
]);

/** Global options before the subcommand: `-C DIR`, `--no-pager`, `-P`, `--no-optional-locks`, `--version`. */
function globalOptions(args: readonly Arg[], add: (reason: string) => void): number | null {
  let i = 0;
  for (; i < args.length && args[i].text.startsWith("-"); i++) {
    const t = args[i].text;
    if (t === "-C") i++;
    else if (!["--no-pager", "-P", "--no-optional-locks", "--literal-pathspecs", "--version"].includes(t)) {
      add(
        t === "-c" || t.startsWith("--config-env")
          ? "`git -c` sets configuration for this run, which can make git run any program (pager, editor, diff, hooks)"
          : `\`git ${t}\` is an option the policy has not vetted as read-only`,
      );
      return null;
    }
  }
  return i;
}

export const git: Rule = (args, ctx) => {
  if (reportOpenTail("git", ctx)) return;
  const dynamic = args.find((a) => a.dynamic);
  if (dynamic)
    return ctx.add(
      "high",
      `\`git\` gets ${dynamic.text}, decided at run time, which could become an option that runs programs`,
    );
  const i = globalOptions(args, (reason) => ctx.add("high", reason));
  if (i === null) return;
  const sub = args[i]?.text;
  if (sub === undefined) return ctx.add("low", "`git` without a subcommand prints its usage");
  const spec = Object.hasOwn(READS, sub) ? READS[sub] : undefined;
  if (spec) {
    vetReadOnly(`git ${sub}`, args.slice(i + 1), { ...spec, does: `${spec.does} and only reads the repository` }, ctx);
    return;
  }
  if (NETWORK.has(sub)) return ctx.add("high", `\`git ${sub}\` talks to another machine over the network`);
  const runs = RUNS.get(sub);
  if (runs) return ctx.add("high", runs);
  ctx.add("high", `\`git ${sub}\` changes the repository or your files`);
};
