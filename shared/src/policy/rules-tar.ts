import { vetReadOnly, type ReadOnlySpec } from "./options";
import type { Rule } from "./rule-context";

/**
 * tar: low only when it lists an archive (`tar -tf x.tar`, `tar tvzf x.tgz`, `tar
 * --list --file=x`) with vetted options. Creating (`-c`), extracting (`-x`), appending
 * and every option that runs a program (`--checkpoint-action`, `--to-command`,
 * `--use-compress-program`/`-I`, `--info-script`/`-F`, `--rsh-command`) are high.
 */

const LIST: ReadOnlySpec = {
  does: "lists an archive's contents and only reads",
  flags: "tvzjJaZ",
  valued: "f",
  long: [
    "list",
    "file=",
    "verbose",
    "gzip",
    "gunzip",
    "bzip2",
    "xz",
    "lzma",
    "auto-compress",
    "numeric-owner",
    "wildcards",
    "no-wildcards",
    "exclude=",
    "anchored",
    "no-anchored",
    "ignore-case",
    "full-time",
    "utc",
    "quoting-style=",
    "show-transformed-names",
  ],
};

const RUNS =
  /^(--(checkpoint-action|to-command|use-compress-program|info-script|new-volume-script|rsh-command|rmt-command)|-[A-Za-z]*[IF])/;

export const tar: Rule = (args, ctx) => {
  const runner = args.find((a) => RUNS.test(a.text));
  if (runner) return ctx.add("high", `\`tar ${runner.text.split("=")[0]}\` runs another program`);
  // `host:file` is a remote archive, reached through rsh/ssh.
  if (
    !args.some((a) => a.text === "--force-local") &&
    args.some((a) => /^[^/=-][^/]*:/.test(a.text) || /^--file=[^/]*:/.test(a.text))
  )
    return ctx.add("high", "`tar` reads a remote archive (host:file) over the network");
  // Old style: `tar tvf x.tar` is `tar -tvf x.tar`.
  const first = args[0];
  const norm =
    first && !first.dynamic && !first.text.startsWith("-")
      ? [{ ...first, text: "-" + first.text }, ...args.slice(1)]
      : args;
  const listing = norm.some((a) => a.text === "--list" || /^-[A-Za-z]*t/.test(a.text));
  if (!listing) return ctx.add("high", "`tar` creates or extracts archives, writing files");
  vetReadOnly("tar", norm, LIST, ctx);
};
