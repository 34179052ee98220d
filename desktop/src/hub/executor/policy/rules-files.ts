import { criticalTarget, isRawDisk, judgeWriteTarget, resolvePath } from "./paths";
import { hasLong, splitArgs, type Rule, type RuleContext } from "./rule-context";

/** Rules for programs that delete, overwrite or re-permission files and disks. */

function writeTargets(ctx: RuleContext, targets: readonly string[], verb: string): boolean {
  let found = false;
  for (const t of targets) {
    const f = judgeWriteTarget(t, ctx, verb);
    if (f) {
      ctx.add(f.risk, f.reason);
      found = true;
    }
  }
  return found;
}

const rm: Rule = (args, ctx) => {
  const s = splitArgs(args);
  const recursive = s.short.has("r") || s.short.has("R") || hasLong(s, "--recursive");
  if (hasLong(s, "--no-preserve-root")) ctx.add("forbidden", "rm --no-preserve-root exists only to delete the whole filesystem");
  for (const t of s.operands) {
    const dir = criticalTarget(t, ctx);
    if (dir && recursive) ctx.add("forbidden", `rm -r on ${t} wipes ${dir === ctx.home ? "your home directory" : dir}`);
    else if (recursive && resolvePath(t, ctx) === null && t.includes("$")) ctx.add("high", `rm -r on ${t}, a path computed at run time (an empty variable can make it /)`);
    if (isRawDisk(resolvePath(t, ctx) ?? t)) ctx.add("high", `rm on the device node ${t}`);
  }
  const how = [recursive ? "recursively" : "", s.short.has("f") || hasLong(s, "--force") ? "without asking (-f)" : ""].filter(Boolean).join(" ");
  ctx.add("high", `rm deletes files irreversibly${how ? " " + how : ""}`);
};

const shred: Rule = (args, ctx) => {
  const { operands } = splitArgs(args);
  for (const t of operands) if (isRawDisk(resolvePath(t, ctx) ?? t)) ctx.add("forbidden", `shred overwrites the raw disk ${t}`);
  ctx.add("high", "shred destroys file contents irreversibly");
};

/** Formatting tools: on a device they erase it, on an image file they are merely risky. */
const formatter =
  (what: string): Rule =>
  (args, ctx) => {
    const { operands } = splitArgs(args);
    for (const t of operands) if (isRawDisk(resolvePath(t, ctx) ?? t)) ctx.add("forbidden", `${what} on the disk device ${t} erases it`);
    ctx.add("high", `${what} creates filesystems or partitions`);
  };

const wipefs: Rule = (args, ctx) => {
  const s = splitArgs(args);
  const erasing = s.short.has("a") || s.short.has("o") || hasLong(s, "--all", "--offset");
  for (const t of s.operands) if (erasing && isRawDisk(resolvePath(t, ctx) ?? t)) ctx.add("forbidden", `wipefs erases the signatures of the disk ${t}`);
  ctx.add("high", "wipefs edits disk signatures");
};

const dd: Rule = (args, ctx) => {
  for (const a of args) if (a.startsWith("of=")) writeTargets(ctx, [a.slice(3)], "dd writes to");
  ctx.add("high", "dd copies raw bytes and can overwrite disks");
};

/** find options and actions that do not narrow which files match (the value of -type etc. follows them). */
const NON_FILTERS = new Set(["-delete", "-depth", "-xdev", "-mount", "-mindepth", "-maxdepth", "-type", "-print", "-print0", "-ignore_readdir_race", "-noleaf"]);

const find: Rule = (args, ctx) => {
  const firstExpr = args.findIndex((a) => a.startsWith("-") || a === "(" || a === "!");
  const starts = firstExpr < 0 ? args : args.slice(0, firstExpr);
  const roots = starts.length > 0 ? starts : ["."];
  let acted = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-delete") {
      acted = true;
      const critical = roots.map((r) => criticalTarget(r, ctx)).find((d) => d !== null);
      // Without a filtering test, find -delete removes everything below its roots.
      const filtered = args.slice(starts.length).some((x, j, all) => x.startsWith("-") && !NON_FILTERS.has(x) && !NON_FILTERS.has(all[j - 1] ?? ""));
      if (critical && !filtered) ctx.add("forbidden", `find -delete under ${critical} wipes it`);
      ctx.add("high", "find -delete deletes every file it matches");
    } else if (["-exec", "-execdir", "-ok", "-okdir"].includes(a)) {
      acted = true;
      const end = args.findIndex((x, j) => j > i && (x === ";" || x === "+"));
      const inner = args.slice(i + 1, end < 0 ? args.length : end);
      if (inner.length > 0) ctx.judgeArgv(inner);
      i = end < 0 ? args.length : end;
    } else if (["-fprint", "-fprint0", "-fprintf", "-fls"].includes(a)) {
      acted = true;
      if (!writeTargets(ctx, [args[i + 1] ?? ""], "find writes to")) ctx.add("low", "find writes its results to a file");
    }
  }
  if (!acted) ctx.add("low", "find only lists files");
};

const perms =
  (name: string): Rule =>
  (args, ctx) => {
    const s = splitArgs(args);
    const recursive = s.short.has("R") || hasLong(s, "--recursive");
    const paths = s.operands.slice(1);
    for (const t of paths) {
      const dir = criticalTarget(t, ctx);
      if (dir && recursive) ctx.add("forbidden", `${name} -R on ${dir} changes every file of ${dir === ctx.home ? "your home directory" : dir}`);
    }
    if (recursive) ctx.add("high", `${name} -R changes many files at once`);
    if (!writeTargets(ctx, paths, `${name} changes`)) ctx.add("low", `${name} changes ownership or permissions of your files`);
  };

/** `cp`/`mv`/`install`/`ln`: the destination is written; `mv` also removes its sources. */
const copier =
  (name: string): Rule =>
  (args, ctx) => {
    const s = splitArgs(args);
    const tIdx = args.findIndex((a) => a === "-t" || a.startsWith("--target-directory"));
    const dest = tIdx >= 0 ? (args[tIdx].includes("=") ? args[tIdx].split("=")[1] : args[tIdx + 1]) : s.operands[s.operands.length - 1];
    let risky = dest !== undefined && writeTargets(ctx, [dest], `${name} writes to`);
    if (name === "mv") {
      for (const src of s.operands.filter((o) => o !== dest)) {
        const dir = criticalTarget(src, ctx);
        if (dir) ctx.add("high", `mv moves ${dir} away`);
        risky = writeTargets(ctx, [src], "mv moves") || risky || dir !== null;
      }
    }
    if (!risky) ctx.add("low", `${name} copies or moves your files`);
  };

/** Programs whose operands (or an option's value) are files they write. */
const writer =
  (name: string, low: string, targetsOf: (args: string[]) => string[]): Rule =>
  (args, ctx) => {
    if (!writeTargets(ctx, targetsOf(args), `${name} writes to`)) ctx.add("low", low);
  };

const truncate: Rule = (args, ctx) => {
  writeTargets(ctx, splitArgs(args).operands, "truncate cuts");
  ctx.add("high", "truncate cuts files short, losing their contents");
};

const sedRule: Rule = (args, ctx) => {
  const inPlace = args.some((a) => a === "-i" || a.startsWith("-i") || a.startsWith("--in-place"));
  if (!inPlace) return ctx.add("low", "sed transforms text");
  const files = splitArgs(args).operands.slice(args.some((a) => a === "-e" || a === "-f") ? 0 : 1);
  if (!writeTargets(ctx, files, "sed -i edits")) ctx.add("low", "sed -i edits your files in place");
};

const operands = (args: string[]) => splitArgs(args).operands;

export const FILE_RULES: Record<string, Rule> = {
  rm,
  shred,
  truncate,
  dd,
  find,
  wipefs,
  blkdiscard: formatter("blkdiscard"),
  mkfs: formatter("mkfs"),
  mke2fs: formatter("mke2fs"),
  mkswap: formatter("mkswap"),
  fdisk: formatter("fdisk"),
  sfdisk: formatter("sfdisk"),
  cfdisk: formatter("cfdisk"),
  gdisk: formatter("gdisk"),
  sgdisk: formatter("sgdisk"),
  parted: formatter("parted"),
  chmod: perms("chmod"),
  chown: perms("chown"),
  chgrp: perms("chgrp"),
  cp: copier("cp"),
  mv: copier("mv"),
  install: copier("install"),
  ln: copier("ln"),
  tee: writer("tee", "tee copies its input to files", operands),
  touch: writer("touch", "touch creates empty files or updates their times", operands),
  mkdir: writer("mkdir", "mkdir creates directories", operands),
  rmdir: writer("rmdir", "rmdir removes only empty directories", operands),
  sort: writer("sort", "sort orders lines", (a) => a.flatMap((x, i) => (x === "-o" ? [a[i + 1] ?? ""] : x.startsWith("--output=") ? [x.slice(9)] : []))),
  sed: sedRule,
};

/** `mkfs.ext4`, `mkfs.vfat`...: all formatters. */
export function fileRuleFor(program: string): Rule | undefined {
  if (program.startsWith("mkfs.")) return formatter(program);
  return Object.hasOwn(FILE_RULES, program) ? FILE_RULES[program] : undefined;
}
