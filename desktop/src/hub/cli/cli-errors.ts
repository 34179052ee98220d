import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { StoreError } from "../store";
import { BridgeStartError } from "../bridge/bridge-server";
import { BuildError } from "./build-stamp";
import { DataDirBusyError } from "./data-lock";

/** An error the CLI explains in one sentence and exits on, without a stack. */
export class CliError extends Error {
  override readonly name = "CliError";
}

const codeOf = (err: unknown): string =>
  typeof err === "object" && err !== null && "code" in err ? String(err.code) : "";

/**
 * Makes sure `dir` can be the data directory (created 0700 when missing),
 * or throws a CliError that says why not in words.
 */
export function prepareDataDir(dir: string): void {
  const shown = dir;
  try {
    const st = statSync(dir);
    if (!st.isDirectory()) throw new CliError(`cannot use ${shown} as the data directory: it is a file`);
  } catch (err) {
    if (err instanceof CliError) throw err;
    if (codeOf(err) === "ENOTDIR")
      throw new CliError(`cannot use ${shown} as the data directory: ${firstFileAbove(dir) ?? "a parent"} is a file`);
    if (codeOf(err) !== "ENOENT") throw new CliError(`cannot use ${shown} as the data directory: ${plain(err)}`);
    try {
      makeDirs(dir);
    } catch (mkErr) {
      const why =
        codeOf(mkErr) === "ENOTDIR" || codeOf(mkErr) === "EEXIST"
          ? `${firstFileAbove(dir) ?? "a parent"} is a file`
          : plain(mkErr);
      throw new CliError(`cannot create the data directory ${shown}: ${why}`);
    }
  }
  try {
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch {
    throw new CliError(`cannot use ${shown} as the data directory: it is not readable and writable by this user`);
  }
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir can spin forever on
 * a file system that refuses new entries with ENOENT (such as /proc).
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let p = resolve(dir); !existsSync(p); p = dirname(p)) {
    missing.unshift(p);
    if (p === dirname(p)) break;
  }
  for (const p of missing) mkdirSync(p, { mode: 0o700 });
}

/** The nearest path above `dir` that exists and is not a folder. */
function firstFileAbove(dir: string): string | null {
  for (let p = dirname(resolve(dir)); p !== dirname(p); p = dirname(p)) {
    try {
      if (!statSync(p).isDirectory()) return p;
      return null;
    } catch {
      // Missing: look further up.
    }
  }
  return null;
}

/** A system error in words: "permission denied" rather than EACCES. */
function plain(err: unknown): string {
  switch (codeOf(err)) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOENT":
      return "that place does not allow new folders";
    case "EROFS":
      return "the file system is read-only";
    case "ENOSPC":
      return "the disk is full";
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/** One sentence for an error that stopped the CLI: what failed and what to do. */
export function explainError(err: unknown, ctx: { dataDir: string; port: number }): string {
  if (err instanceof CliError || err instanceof DataDirBusyError || err instanceof BuildError) return err.message;
  if (err instanceof StoreError) {
    const db = join(ctx.dataDir, "hub.db");
    switch (err.code) {
      case "corrupt":
        return `${db} is not a hub database (it was left untouched); move it away or use another --data directory`;
      case "locked":
        return `${db} is locked by another process; is another hub running on ${ctx.dataDir}?`;
      case "newer_version":
        return `${db} was written by a newer version of the hub; update this one`;
      default:
        return `cannot open the hub database ${db}: ${err.message}`;
    }
  }
  if (codeOf(err).startsWith("SQLITE_CANTOPEN"))
    return `cannot open the hub database ${join(ctx.dataDir, "hub.db")}: check that the data directory is readable and writable`;
  if (err instanceof BridgeStartError) return `cannot serve the desktop UI: ${err.message}`;
  if (codeOf(err) === "EADDRINUSE")
    return `port ${ctx.port} is already in use (another hub or relay?); choose another with --port, or 0 for any free port`;
  if (codeOf(err) === "EACCES" && /listen/i.test(String(err)))
    return `not allowed to listen on port ${ctx.port}; choose one above 1023 with --port`;
  return `the hub stopped on an error: ${err instanceof Error ? err.message : String(err)}`;
}
