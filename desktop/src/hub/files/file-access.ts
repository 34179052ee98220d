import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, normalize } from "node:path";
import { FILE_LIST_MAX, type FileEntry } from "@neural-link/shared/app";
import { isWithin } from "../devices/workspace-path";
import { FileError } from "./file-error";
import { PART_PREFIX } from "./file-names";

/**
 * What a device may read (docs/hub.md, "Files"): what a low-risk sandboxed
 * command sees, that is the whole disk with the user's rights except the hub's
 * data folder (its private key and databases), which the sandbox hides and
 * these methods refuse, also through a symlink (paths are compared resolved).
 */
export interface ReadRules {
  /** The hub's data directory, hidden like the sandbox hides it. */
  dataDir: string;
  home?: string;
}

async function real(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new FileError("not_found", `there is nothing at ${path}`);
    if (code === "EACCES" || code === "EPERM")
      throw new FileError("forbidden", `the desktop user may not open ${path}`);
    throw err;
  }
}

async function realDataDir(rules: ReadRules): Promise<string> {
  try {
    return await realpath(rules.dataDir);
  } catch {
    return rules.dataDir;
  }
}

/**
 * The kernel's views of processes and devices. A sandboxed command sees its own /proc and a
 * minimal /dev, never the hub's; through the hub they would show the hub itself: its
 * environment (/proc/self/environ) and the files it holds open (/proc/self/fd/N, which
 * resolve to the open file's path, so the requested path is checked as well as the result).
 */
const KERNEL_VIEWS = ["/proc", "/sys", "/dev"];

function refuseKernelViews(path: string): void {
  if (KERNEL_VIEWS.some((root) => isWithin(path, root)))
    throw new FileError("forbidden", `${path} is the kernel's view of the desktop's processes or devices`);
}

/** Resolves `path` (absolute) and refuses anything inside the hub's data folder or the kernel's views. */
export async function readablePath(path: string, rules: ReadRules): Promise<string> {
  if (!isAbsolute(path)) throw new FileError("bad_params", `"${path}" is not an absolute path`);
  refuseKernelViews(normalize(path));
  const resolved = await real(path);
  refuseKernelViews(resolved);
  const data = await realDataDir(rules);
  if (isWithin(resolved, data))
    throw new FileError("forbidden", "the hub's own data folder (its keys and databases) cannot be read from a device");
  return resolved;
}

/** A regular file a device may fetch: its resolved path and size. */
export async function readableFile(path: string, rules: ReadRules): Promise<{ path: string; size: number }> {
  const resolved = await readablePath(path, rules);
  const st = await stat(resolved);
  if (!st.isFile()) throw new FileError("bad_params", `${path} is not a file`);
  return { path: resolved, size: st.size };
}

const kindOf = (st: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): FileEntry["kind"] =>
  st.isSymbolicLink() ? "link" : st.isDirectory() ? "dir" : st.isFile() ? "file" : "other";

/**
 * A folder's entries, folders first then by name; at most `max`. Left out:
 * the hub's data folder (and links into it) and partial uploads. A link shows
 * as "dir" or "file" by its target, so the phone can open it; its target is
 * checked again when it is opened.
 */
export async function listFolder(
  path: string,
  rules: ReadRules,
  max = FILE_LIST_MAX,
): Promise<{ path: string; parent?: string; entries: FileEntry[]; more?: true; home: string }> {
  const resolved = await readablePath(path, rules);
  if (!(await stat(resolved)).isDirectory()) throw new FileError("bad_params", `${path} is not a folder`);
  const data = await realDataDir(rules);
  let names: string[];
  try {
    names = await readdir(resolved);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EACCES")
      throw new FileError("forbidden", `the desktop user may not open ${path}`);
    throw err;
  }
  const entries: FileEntry[] = [];
  for (const name of names) {
    if (name.startsWith(PART_PREFIX)) continue;
    const full = join(resolved, name);
    try {
      const l = await lstat(full);
      let kind = kindOf(l);
      let size = l.isFile() ? l.size : undefined;
      if (l.isSymbolicLink() || l.isDirectory()) {
        const target = await realpath(full).catch(() => null);
        if (target !== null && isWithin(target, data)) continue;
        if (l.isSymbolicLink() && target !== null) {
          const t = await stat(target);
          kind = t.isDirectory() ? "dir" : t.isFile() ? "file" : "other";
          size = t.isFile() ? t.size : undefined;
        }
      }
      entries.push({ name, kind, ...(size !== undefined ? { size } : {}), mtime: Math.round(l.mtimeMs) });
    } catch {
      // Vanished or unreadable while listing: leave it out.
    }
  }
  entries.sort((a, b) =>
    (a.kind === "dir") !== (b.kind === "dir") ? (a.kind === "dir" ? -1 : 1) : a.name.localeCompare(b.name),
  );
  const parent = resolved === "/" ? undefined : dirname(resolved);
  const home = rules.home ?? homedir();
  return {
    path: resolved,
    ...(parent ? { parent } : {}),
    entries: entries.slice(0, max),
    ...(entries.length > max ? { more: true as const } : {}),
    home,
  };
}
