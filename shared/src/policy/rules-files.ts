import { criticalTarget, isRawDisk, judgeWriteTarget, resolvePath } from "./paths";
import { hasLong, splitArgs, texts, type Rule, type RuleContext } from "./rule-context";

/**
 * Programs that delete, overwrite, create or re-permission files and disks. All of them
 * are high; the ones that can destroy the machine in one line are forbidden when aimed
 * at `/`, the home directory, a top-level system directory or a raw disk. The reasons
 * name the write target when it is a dotfile, a system path or a device.
 */

function writeTargets(ctx: RuleContext, targets: readonly string[], verb: string): void {
  for (const t of targets) {
    const f = judgeWriteTarget(t, ctx, verb);
    if (f) ctx.add(f.risk, f.reason);
  }
}

const rm: Rule = (argv, ctx) => {
  const s = splitArgs(texts(argv));
  const recursive = s.short.has("r") || s.short.has("R") || hasLong(s, "--recursive");
  if (hasLong(s, "--no-preserve-root"))
    ctx.add("forbidden", "`rm --no-preserve-root` exists only to delete the whole filesystem");
  for (const t of s.operands) {
    const dir = criticalTarget(t, ctx);
    if (dir && recursive) ctx.add("forbidden", `rm -r on ${t} wipes ${dir === ctx.home ? "your home directory" : dir}`);
    else if (recursive && resolvePath(t, ctx) === null && t.includes("$"))
      ctx.add("high", `rm -r on ${t}, a path computed at run time (an empty variable can make it /)`);
  }
  const how = [recursive ? "recursively" : "", s.short.has("f") || hasLong(s, "--force") ? "without asking (-f)" : ""]
    .filter(Boolean)
    .join(" ");
  ctx.add("high", `\`rm\` deletes files irreversibly${how ? " " + how : ""}`);
};

/** Tools that destroy a disk when given one: forbidden on a device, high on an image file. */
const onDisk =
  (name: string, what: string, erasing: (args: string[]) => boolean = () => true): Rule =>
  (argv, ctx) => {
    const args = texts(argv);
    for (const t of splitArgs(args).operands)
      if (erasing(args) && isRawDisk(resolvePath(t, ctx) ?? t))
        ctx.add("forbidden", `\`${name}\` on the disk device ${t} erases it`);
    ctx.add("high", `\`${name}\` ${what}`);
  };

const dd: Rule = (argv, ctx) => {
  for (const a of texts(argv)) if (a.startsWith("of=")) writeTargets(ctx, [a.slice(3)], "`dd` writes to");
  ctx.add("high", "`dd` copies raw bytes and can overwrite files and disks");
};

const perms =
  (name: string): Rule =>
  (argv, ctx) => {
    const s = splitArgs(texts(argv));
    const recursive = s.short.has("R") || hasLong(s, "--recursive");
    for (const t of s.operands.slice(1)) {
      const dir = criticalTarget(t, ctx);
      if (dir && recursive)
        ctx.add(
          "forbidden",
          `\`${name} -R\` on ${dir} changes every file of ${dir === ctx.home ? "your home directory" : dir}`,
        );
    }
    writeTargets(ctx, s.operands.slice(1), `\`${name}\` changes`);
    ctx.add(
      "high",
      `\`${name}\` changes ${name === "chmod" ? "permissions" : "ownership"} of files${recursive ? " recursively" : ""}`,
    );
  };

/** Programs whose operands (all, or the last) are files they write; raw disks among them are forbidden. */
const writer =
  (name: string, what: string, targets: (operands: string[], args: string[]) => string[] = (o) => o): Rule =>
  (argv, ctx) => {
    const args = texts(argv);
    writeTargets(ctx, targets(splitArgs(args).operands, args), `\`${name}\` writes to`);
    ctx.add("high", `\`${name}\` ${what}`);
  };

const last = (o: string[]) => o.slice(-1);

export const FILE_RULES: Record<string, Rule> = {
  rm,
  dd,
  shred: onDisk("shred", "destroys file contents irreversibly"),
  wipefs: onDisk("wipefs", "edits disk signatures", (a) =>
    a.some((x) => /^-[a-z]*[ao]/.test(x) || x === "--all" || x.startsWith("--offset")),
  ),
  blkdiscard: onDisk("blkdiscard", "discards a device's blocks"),
  mkfs: onDisk("mkfs", "creates filesystems"),
  mke2fs: onDisk("mke2fs", "creates filesystems"),
  mkswap: onDisk("mkswap", "creates swap space"),
  fdisk: onDisk("fdisk", "edits partition tables"),
  sfdisk: onDisk("sfdisk", "edits partition tables"),
  cfdisk: onDisk("cfdisk", "edits partition tables"),
  gdisk: onDisk("gdisk", "edits partition tables"),
  sgdisk: onDisk("sgdisk", "edits partition tables"),
  parted: onDisk("parted", "edits partition tables"),
  chmod: perms("chmod"),
  chown: perms("chown"),
  chgrp: perms("chgrp"),
  truncate: writer("truncate", "cuts files short, losing their contents"),
  tee: writer("tee", "writes to files"),
  cp: writer("cp", "writes files (the destination is overwritten)", last),
  mv: writer("mv", "moves files, overwriting the destination", (o) => o),
  install: writer("install", "copies files into place, overwriting the destination", last),
  ln: writer("ln", "creates links, replacing files with -f", last),
  touch: writer("touch", "creates files or changes their times"),
  mkdir: writer("mkdir", "creates directories"),
  rmdir: writer("rmdir", "removes directories"),
  mktemp: writer("mktemp", "creates files"),
  mkfifo: writer("mkfifo", "creates files"),
  mknod: writer("mknod", "creates device files"),
  unlink: writer("unlink", "deletes a file"),
  link: writer("link", "creates a link", last),
  rename: writer("rename", "renames files"),
  patch: writer("patch", "changes files"),
  split: writer("split", "writes pieces of a file to new files"),
  csplit: writer("csplit", "writes pieces of a file to new files"),
  gzip: writer("gzip", "compresses or decompresses files in place, replacing them"),
  gunzip: writer("gunzip", "decompresses files in place, replacing them"),
  bzip2: writer("bzip2", "compresses or decompresses files in place, replacing them"),
  bunzip2: writer("bunzip2", "decompresses files in place, replacing them"),
  xz: writer("xz", "compresses or decompresses files in place, replacing them"),
  unxz: writer("unxz", "decompresses files in place, replacing them"),
  zstd: writer("zstd", "compresses files, writing new ones"),
  zip: writer("zip", "writes archives and can run programs (`-TT`)"),
  unzip: writer("unzip", "extracts files, overwriting existing ones"),
  "7z": writer("7z", "writes or extracts archives"),
  rsync: writer("rsync", "copies files, possibly to or from other machines, and can run programs (`-e`)", last),
};

/** `mkfs.ext4`, `mkfs.vfat`...: all formatters. */
export function fileRuleFor(program: string): Rule | undefined {
  if (program.startsWith("mkfs.")) return onDisk(program, "creates filesystems");
  return Object.hasOwn(FILE_RULES, program) ? FILE_RULES[program] : undefined;
}
