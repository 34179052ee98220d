import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";

/** The lock file's name inside the data directory. */
export const LOCK_FILE = "hub.lock";
/** Attempts to take the lock when a stale one had to be cleared first (another starter may race us). */
const ACQUIRE_ATTEMPTS = 3;

/** Another live process holds the data directory. */
export class DataDirBusyError extends Error {
  override readonly name = "DataDirBusyError";
  constructor(
    readonly pid: number,
    readonly dir: string,
  ) {
    super(`another hub (pid ${pid}) is using ${dir}`);
  }
}

interface Holder {
  pid: number;
  /**
   * The process's start time in clock ticks since boot (Linux /proc), or null elsewhere: guards against a reused pid.
   */
  start: string | null;
}

export interface DataLock {
  readonly file: string;
  /** Removes the lock if it is still ours. Safe to call twice. */
  release(): void;
}

/** Start time of a process from /proc/<pid>/stat (field 22), or null where /proc is missing. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ")".
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return rest[19] ?? null;
  } catch {
    return null;
  }
}

/** Reads who holds the lock; null when the file is missing or unreadable as a holder. */
export function readHolder(file: string): Holder | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return null;
  }
  const [pidText, start] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return { pid, start: start && start !== "-" ? start : null };
}

/** True while the holder's process runs: signal 0 probes it, and its start time rules out a reused pid. */
export function holderAlive(h: Holder): boolean {
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (h.start === null) return true;
  const now = processStart(h.pid);
  return now === null || now === h.start;
}

/** The pid of the live process holding `dir`, or null when none does. */
export function lockHolder(dir: string): number | null {
  const h = readHolder(join(dir, LOCK_FILE));
  return h && holderAlive(h) ? h.pid : null;
}

/**
 * Takes the data directory for this process: a pid file created exclusively
 * (O_EXCL, 0600). A lock left by a process that is gone (crashed, SIGKILLed)
 * is cleared and taken, so a crash never leaves the directory stuck; a live
 * holder makes this throw DataDirBusyError. Released on exit.
 */
export function acquireDataLock(dir: string, name = LOCK_FILE): DataLock {
  const file = join(dir, name);
  const mine = `${process.pid} ${processStart(process.pid) ?? "-"}\n`;
  for (let attempt = 0; attempt < ACQUIRE_ATTEMPTS; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, "wx", 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = readHolder(file);
      if (holder && holder.pid !== process.pid && holderAlive(holder)) throw new DataDirBusyError(holder.pid, dir);
      // Stale (or ours from an earlier start in this process): clear it and try again.
      try {
        unlinkSync(file);
      } catch {
        // Another starter cleared it first.
      }
      continue;
    }
    try {
      writeSync(fd, mine);
    } finally {
      closeSync(fd);
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off("exit", release);
      try {
        if (readFileSync(file, "utf8") === mine) unlinkSync(file);
      } catch {
        // Already gone.
      }
    };
    process.on("exit", release);
    return { file, release };
  }
  const holder = readHolder(file);
  throw new DataDirBusyError(holder?.pid ?? 0, dir);
}
