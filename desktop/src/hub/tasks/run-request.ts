import type { ExecutorSettings } from "../executor/settings";
import { TaskError } from "./errors";
import type { TaskServiceSettings } from "./settings";

export interface RunRequest {
  command: string;
  cwd?: string | null;
  timeoutMs?: number;
  /** A device id, or "desktop". */
  requestedBy: string;
}

export interface ValidRunRequest {
  command: string;
  /** Absolute, with a leading `~` expanded; null for the default (home). */
  cwd: string | null;
  timeoutMs: number;
}

/** Checks a run request at the service boundary; throws TaskError("bad_request") with a clear message. */
export function validateRunRequest(
  req: RunRequest,
  settings: Pick<TaskServiceSettings, "maxCommandChars" | "home">,
  executor: Pick<ExecutorSettings, "defaultTimeoutMs" | "maxTimeoutMs">,
): ValidRunRequest {
  const { command, requestedBy } = req;
  if (typeof requestedBy !== "string" || requestedBy.length === 0)
    throw new TaskError("bad_request", "requestedBy is required");
  if (typeof command !== "string" || command.trim().length === 0)
    throw new TaskError("bad_request", "the command is empty");
  if (command.length > settings.maxCommandChars)
    throw new TaskError("bad_request", `the command is longer than ${settings.maxCommandChars} characters`);
  if (command.includes("\0")) throw new TaskError("bad_request", "the command contains a NUL character");
  let cwd = req.cwd ?? null;
  if (cwd !== null) {
    if (typeof cwd !== "string" || cwd.includes("\0")) throw new TaskError("bad_request", "cwd must be a path");
    if (cwd === "~" || cwd.startsWith("~/")) cwd = settings.home + cwd.slice(1);
    if (!cwd.startsWith("/")) throw new TaskError("bad_request", "cwd must be an absolute path");
  }
  const timeoutMs = req.timeoutMs ?? executor.defaultTimeoutMs;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > executor.maxTimeoutMs)
    throw new TaskError("bad_request", `timeoutMs must be an integer in 1..${executor.maxTimeoutMs}`);
  return { command, cwd, timeoutMs };
}
