/** Why the task service refused a request. */
/** "stopped": the hub is shutting down and takes no new requests. */
export type TaskErrorCode = "bad_request" | "not_found" | "stopped";

/** The task service's boundary error; approval refusals are ApprovalError (approvals.ts). */
export class TaskError extends Error {
  override readonly name = "TaskError";
  constructor(
    readonly code: TaskErrorCode,
    message: string,
  ) {
    super(message);
  }
}
