import { RpcError } from "@neural-link/shared/app";

export type FileErrorCode = "bad_params" | "forbidden" | "not_found" | "conflict" | "too_large";

/**
 * The one error class of the file service: a code and a sentence for the
 * person. The file methods turn it into an RpcError with the same code
 * (`asRpcError`); nothing else about the disk leaks (an unknown error stays `internal`).
 */
export class FileError extends Error {
  override readonly name = "FileError";
  constructor(
    readonly code: FileErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function asRpcError(err: unknown): unknown {
  return err instanceof FileError ? new RpcError(err.code, err.message) : err;
}
