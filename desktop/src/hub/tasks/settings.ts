import { homedir } from "node:os";
import { COMMAND_MAX } from "@neural-link/shared/app";
import type { ApprovalMode } from "./approvals";

/** Task service settings, each a named value with its default. */
export interface TaskServiceSettings {
  /** Who approves high-risk tasks: "both" (requester and desktop), "phone" (requester) or "desktop". */
  approvals: ApprovalMode;
  /**
   * Refuse approvals that carry no command digest. Off by default because the protocol's
   * `tasks.approve` makes the command text optional; an approval is still bound to the
   * stored text, which never changes.
   */
  requireDigest: boolean;
  /** Longest command accepted, in characters (the protocol's limit). */
  maxCommandChars: number;
  /** Output is written to the store at most this often while a task runs, ms. */
  outputFlushMs: number;
  /** ...or as soon as this many code units are waiting. */
  outputFlushChars: number;
  /** How long an approval may be awaited before it counts as a denial, ms (30 minutes). */
  approvalTtlMs: number;
  /** Page size used when scanning tasks at start-up. */
  recoveryPageSize: number;
  /** The user's home directory, for `~` in commands and as the policy's notion of home. */
  home: string;
}

export function defaultTaskServiceSettings(): TaskServiceSettings {
  return {
    approvals: "both",
    requireDigest: false,
    maxCommandChars: COMMAND_MAX,
    outputFlushMs: 250,
    outputFlushChars: 32 * 1024,
    approvalTtlMs: 30 * 60_000,
    recoveryPageSize: 200,
    home: homedir(),
  };
}
