import type { Finding } from "./types";

/**
 * Path judgements shared by the rules: where a path points once `~` and `$HOME` are
 * expanded, whether it is a raw disk, a system location, a dotfile, or a directory
 * whose loss wipes the machine or the user's home.
 */

/** Block devices holding whole disks or partitions: writing to them destroys filesystems. */
const RAW_DISK =
  /^\/dev\/(sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|disk\d|rdisk\d|md\d|dm-\d|mapper\/|loop\d|sr\d)/;
/** Device files that are safe to write to. */
const HARMLESS_DEVICES = /^\/dev\/(null|zero|stdout|stderr|tty|fd\/|pts\/|shm\/)/;
/** System locations: writing there changes how the machine boots, runs or authenticates. */
const SYSTEM_PREFIXES = [
  "/etc",
  "/boot",
  "/usr",
  "/bin",
  "/sbin",
  "/lib",
  "/lib32",
  "/lib64",
  "/opt",
  "/var",
  "/sys",
  "/proc",
  "/root",
  "/srv",
  "/System",
  "/Library",
  "/private/etc",
];
/** Places under system prefixes that are scratch space. */
const SCRATCH = ["/var/tmp", "/tmp", "/dev/shm"];
/** Top-level directories whose recursive removal or re-permissioning breaks the system. */
const TOP_LEVEL = [
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/home",
  "/lib",
  "/lib32",
  "/lib64",
  "/opt",
  "/proc",
  "/root",
  "/sbin",
  "/srv",
  "/sys",
  "/usr",
  "/var",
  "/Users",
  "/System",
  "/Library",
  "/Applications",
];

export interface PathContext {
  home: string;
  cwd: string | null;
}

/** Collapses `//`, `.` and `..`; keeps a relative path relative. */
export function normalizePath(p: string): string {
  const abs = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!abs) out.push("..");
    } else out.push(part);
  }
  return abs ? "/" + out.join("/") : out.join("/") || ".";
}

/**
 * Resolves a word to a path: expands a leading `~`, `$HOME` or `${HOME}`, and joins a
 * relative path to the known working directory. Returns null when the path depends on
 * other run-time values (or is relative with an unknown working directory).
 */
export function resolvePath(word: string, ctx: PathContext): string | null {
  let p = word;
  const home = /^(~|\$HOME|\$\{HOME\})(?=\/|$)/.exec(p);
  if (home) p = ctx.home + p.slice(home[0].length);
  if (p.includes("$") || p.includes("`")) return null;
  if (!p.startsWith("/")) {
    if (ctx.cwd === null) return null;
    p = ctx.cwd + "/" + p;
  }
  return normalizePath(p);
}

/** True for `/`, the home directory, its parent, and the top-level system directories. */
export function isCriticalDir(path: string, ctx: PathContext): boolean {
  const home = normalizePath(ctx.home);
  const homeParent = normalizePath(home + "/..");
  return path === "/" || path === home || path === homeParent || TOP_LEVEL.includes(path);
}

/**
 * If the word names a critical directory, or everything inside one (`/*`, `~/*`),
 * returns that directory; otherwise null.
 */
export function criticalTarget(word: string, ctx: PathContext): string | null {
  let base = word;
  if (base === "*" || base === ".*") base = ".";
  else if (/\/\.?\*$/.test(base)) base = base.replace(/\/\.?\*$/, "") || "/";
  const dir = resolvePath(base, ctx);
  return dir !== null && isCriticalDir(dir, ctx) ? dir : null;
}

export function isRawDisk(path: string): boolean {
  return RAW_DISK.test(path);
}

function underAny(path: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => path === p || path.startsWith(p + "/"));
}

export function isSystemPath(path: string): boolean {
  return underAny(path, SYSTEM_PREFIXES) && !underAny(path, SCRATCH);
}

/** True when some component of the path is a dotfile or dot-directory (`.bashrc`, `.ssh/`, `.git/hooks`). */
export function touchesDotfile(word: string): boolean {
  return word.split("/").some((part) => part.startsWith(".") && part !== "." && part !== "..");
}

/**
 * Judges a path that a command writes to (a redirection target, `tee`, `dd of=`, a `cp`
 * destination): raw disks are forbidden; other devices, system paths and dotfiles are high.
 */
export function judgeWriteTarget(word: string, ctx: PathContext, verb: string): Finding | null {
  const path = resolvePath(word, ctx) ?? word;
  if (path.startsWith("/dev/")) {
    if (HARMLESS_DEVICES.test(path)) return null;
    if (isRawDisk(path))
      return { risk: "forbidden", reason: `${verb} the raw disk device ${path}, destroying its data` };
    return { risk: "high", reason: `${verb} the device ${path}` };
  }
  if (path.startsWith("/") && isSystemPath(path)) return { risk: "high", reason: `${verb} the system path ${path}` };
  if (touchesDotfile(word))
    return {
      risk: "high",
      reason: `${verb} the dotfile ${word} (shell start-up files, keys and git hooks live in dotfiles)`,
    };
  return null;
}
