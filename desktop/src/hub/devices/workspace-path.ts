import { realpath, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { isAbsolute, relative, sep } from "node:path";
import { HubError } from "../hub-error";

/** Why a folder cannot be granted; each has its own sentence for the person. */
export type WorkspacePathProblem =
  "not_absolute" | "not_found" | "not_directory" | "root" | "home" | "system" | "hub_data";

/**
 * A refused workspace folder. It is a HubError (`bad_params`), so both UI
 * transports carry its message as is; `problem` says which rule refused it.
 */
export class WorkspacePathError extends HubError {
  constructor(
    readonly problem: WorkspacePathProblem,
    message: string,
  ) {
    super("bad_params", message);
  }
}

/**
 * System folders that are never granted, nor anything inside them: the OS,
 * its configuration and its devices (Linux and macOS). A named setting so a
 * packager can add their own; compared after symlinks are resolved.
 */
export const SYSTEM_DIRS: readonly string[] = [
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/lib",
  "/lib32",
  "/lib64",
  "/libx32",
  "/proc",
  "/run",
  "/sbin",
  "/sys",
  "/usr",
  "/var",
  "/System",
  "/Library",
  "/Applications",
  "/private/etc",
  "/private/var",
  "/cores",
  "/Volumes",
];

export interface WorkspacePathRules {
  /** The hub's data directory: never writable from a task (keys, database, audit log). */
  dataDir: string;
  /** The user's home; the folder itself is refused (it holds dotfiles, keys, shell startup files). */
  home?: string;
  systemDirs?: readonly string[];
}

/** True when `inner` is `outer` or lies below it (both absolute and resolved). */
export function isWithin(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

async function resolved(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    // A path that does not exist yet (a data dir before its first start) is compared as given.
    return path;
  }
}

/**
 * Checks a folder the desktop user wants to make writable for a device's
 * sandboxed tasks, and returns its real path (symlinks resolved), which is
 * what the grant stores and the sandbox binds. Throws WorkspacePathError
 * with a plain sentence for each refusal.
 *
 * @example const folder = await checkWorkspacePath("~/code/site", { dataDir }); // throws: not absolute
 */
export async function checkWorkspacePath(input: string, rules: WorkspacePathRules): Promise<string> {
  const path = input.trim();
  if (!isAbsolute(path))
    throw new WorkspacePathError(
      "not_absolute",
      `"${path}" is not an absolute path: give the full path, starting with /`,
    );
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    throw new WorkspacePathError("not_found", `there is no folder at ${path}`);
  }
  if (!(await stat(real)).isDirectory())
    throw new WorkspacePathError("not_directory", `${path} is a file, not a folder`);
  if (real === "/")
    throw new WorkspacePathError("root", "the whole disk (/) cannot be granted: choose a project folder");
  const home = await resolved(rules.home ?? homedir());
  if (real === home)
    throw new WorkspacePathError(
      "home",
      `your home folder (${home}) cannot be granted as a whole: it holds your keys and shell start-up files; choose a folder inside it`,
    );
  for (const dir of rules.systemDirs ?? SYSTEM_DIRS) {
    // /var on macOS is /private/var: compare both the listed and the resolved form.
    if (isWithin(real, dir) || isWithin(real, await resolved(dir)))
      throw new WorkspacePathError("system", `${real} is a system folder (inside ${dir}) and cannot be granted`);
  }
  const data = await resolved(rules.dataDir);
  if (isWithin(real, data) || isWithin(data, real)) {
    throw new WorkspacePathError(
      "hub_data",
      `${real} ${isWithin(real, data) ? "is inside" : "contains"} the hub's own data folder (${data}), which tasks must never change`,
    );
  }
  return real;
}
