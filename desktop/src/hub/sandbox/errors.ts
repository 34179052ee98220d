/** Why a sandboxed launch was refused. */
export type SandboxErrorCode = "unavailable" | "bad_spec";

/**
 * The sandbox's boundary error. "unavailable": there is no working sandbox, so the
 * command must not run without approval (it is never run unsandboxed instead).
 */
export class SandboxError extends Error {
  override readonly name = "SandboxError";
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
  ) {
    super(message);
  }
}
