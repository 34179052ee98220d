/** Why the task service refused a request. */
export type TaskErrorCode = "bad_request" | "not_found";

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
