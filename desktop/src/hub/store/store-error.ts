/**
 * Why a store operation failed. `corrupt`, `locked`, `newer_version`, `migration_failed`
 * and `io` come from opening the database; `not_found` from a repository call that
 * names a row that does not exist; `invalid` from a value that breaks a store rule.
 */
export type StoreErrorCode =
  "corrupt" | "locked" | "newer_version" | "migration_failed" | "io" | "not_found" | "invalid";

/** The one error class of the store boundary. Messages never hold user text or keys. */
export class StoreError extends Error {
  override readonly name = "StoreError";

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** SQLite result codes (better-sqlite3 puts them in `err.code`) mapped to ours. */
export function storeErrorFromSqlite(err: unknown, file: string): StoreError {
  const code = typeof err === "object" && err !== null && "code" in err ? String(err.code) : "";
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return new StoreError("corrupt", `${file} is not a valid SQLite database (${code}); it was left untouched`, {
      cause: err,
    });
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new StoreError(
      "locked",
      `${file} is locked by another process (${code}); is another hub running on this data directory?`,
      {
        cause: err,
      },
    );
  }
  return new StoreError("io", `cannot open ${file}: ${code || (err instanceof Error ? err.message : String(err))}`, {
    cause: err,
  });
}
