/** Tasks: approvals and the task service that runs commands for devices. */
export {
  APPROVAL_MODES,
  ApprovalError,
  approvalDigest,
  commandDigest,
  DESKTOP,
  type ApprovalErrorCode,
  type ApprovalMode,
} from "./approvals";
export { TaskError, type TaskErrorCode } from "./errors";
export type {
  AuditRepo,
  RememberedApproval,
  SandboxSpec,
  SandboxStatus,
  TaskRecord,
  TaskRepo,
  TaskState,
} from "./ports";
export { defaultTaskServiceSettings, type TaskServiceSettings } from "./settings";
export {
  TaskService,
  type ApproveRequest,
  type RunRequest,
  type TaskServiceDeps,
  type TaskUpdatedEvent,
} from "./task-service";
export { toWireTask } from "./task-view";
