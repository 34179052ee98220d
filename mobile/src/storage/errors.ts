/** Stored data that cannot be used (corrupted, or written by an incompatible version). */
export class StorageError extends Error {
  override name = "StorageError";
}
