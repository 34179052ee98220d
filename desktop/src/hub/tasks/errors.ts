/** Why the task service refused a request. */
/**
 * "stopped": the hub is shutting down and takes no new requests; "conflict": the task is
 * not in a state that allows this (e.g. escalating a task that has not ended).
 */
export type TaskErrorCode = "bad_request" | "not_found" | "stopped" | "conflict";

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
