/** Why the executor refused or failed an operation. */
export type ExecutorErrorCode = "bad_request" | "bad_cwd" | "spawn_failed" | "not_found" | "limit_reached";

/** The executor's boundary error; the RPC layer maps `code` onto protocol errors. */
export class ExecutorError extends Error {
  override readonly name = "ExecutorError";
  constructor(
    readonly code: ExecutorErrorCode,
    message: string,
  ) {
    super(message);
  }
}
