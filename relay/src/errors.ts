/**
 * Error classes at the relay's boundaries. Each is turned into a protocol
 * error, a close code or an exit status only at the edge that owns it.
 */
import type { ErrorCode } from "@neural-link/shared/protocol";

/** A setting that cannot be used (bad CLI flag, env var or option). */
export class RelayConfigError extends Error {
  override readonly name = "RelayConfigError";
}

/** The database could not be opened, migrated or written. */
export class StorageError extends Error {
  override readonly name = "StorageError";
}

/** A client op that fails with a protocol error code (REPLY ok:false or ERROR event). */
export class OpError extends Error {
  override readonly name = "OpError";
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Something a connection did that ends it with a close code of docs/protocol.md section 12. */
export class ConnectionClose extends Error {
  override readonly name = "ConnectionClose";
  constructor(
    readonly closeCode: number,
    reason: string,
  ) {
    super(reason);
  }
}
