import { readdirSync, readFileSync } from "node:fs";

/**
 * Ending everything a pty command started. node-pty makes the child a session leader,
 * so its pid is also its session id. A non-interactive shell keeps its children in its
 * own process group, but an interactive one (job control) gives every `&` job a process
 * group of its own, so killing one group is not enough: we signal every process group
 * of the session. Only a process that calls setsid itself escapes.
 */

/** How often the session is polled while waiting for it to end, ms (internal, not user-visible). */
const POLL_MS = 25;
/** How long to wait for SIGKILL to take effect before giving up on watching, ms (internal). */
const KILL_WAIT_MS = 1000;

interface Member {
  pid: number;
  pgrp: number;
}

/**
 * The session's processes that still run, or null where /proc is not available.
 * Zombies count as gone: they no longer run, and where PID 1 does not reap orphans
 * (some containers) they would otherwise look alive forever.
 */
export function livingSessionMembers(sid: number): Member[] | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return null;
  }
  const out: Member[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "latin1");
    } catch {
      continue;
    }
    // Fields after the parenthesised command name: state ppid pgrp session ...
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[3]) === sid && fields[0] !== "Z" && fields[0] !== "X")
      out.push({ pid: Number(name), pgrp: Number(fields[2]) });
  }
  return out;
}

/** True while any process of the session still runs. */
export function sessionAlive(sid: number): boolean {
  const members = livingSessionMembers(sid);
  if (members !== null) return members.length > 0;
  try {
    process.kill(-sid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends a signal to every process group of the session (just the leader's group without /proc). */
export function signalSession(sid: number, signal: NodeJS.Signals): void {
  const groups = new Set([sid, ...(livingSessionMembers(sid) ?? []).map((m) => m.pgrp)]);
  for (const pgrp of groups) {
    try {
      process.kill(-pgrp, signal);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Ends the whole session: `first` (SIGTERM for a task, SIGHUP for a closed terminal) so
 * programs can clean up, then SIGKILL for whatever still runs after `graceMs`.
 * Resolves once the session is gone (or shortly after the SIGKILL).
 */
export async function terminateSession(
  sid: number,
  graceMs: number,
  first: NodeJS.Signals = "SIGTERM",
): Promise<"terminated" | "killed"> {
  signalSession(sid, first);
  // A stopped job does not act on SIGTERM or SIGHUP until it is continued.
  signalSession(sid, "SIGCONT");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!sessionAlive(sid)) return "terminated";
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  signalSession(sid, "SIGKILL");
  const killDeadline = Date.now() + KILL_WAIT_MS;
  while (Date.now() < killDeadline && sessionAlive(sid)) await new Promise((r) => setTimeout(r, POLL_MS));
  return "killed";
}
