/**
 * Why the hub's identity could not be loaded. The hub refuses to start on any of
 * these: running with a readable secret key or a half-written file would be worse.
 * Messages name the file and the fix, never key material or file contents.
 */
export type IdentityErrorCode = "insecure_permissions" | "malformed" | "not_a_file" | "io";

export class IdentityError extends Error {
  override readonly name = "IdentityError";

  constructor(
    readonly code: IdentityErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
