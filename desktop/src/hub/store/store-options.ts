/**
 * Store tuning knobs, each a named setting with its default. Callers override
 * them through `openStore({ options })`.
 */
export interface StoreOptions {
  /** How long a statement waits for a lock held by another connection before failing, ms. */
  busyTimeoutMs: number;
  /**
   * How much task output is kept, in UTF-16 code units (the protocol asks for at least the
   * last 64 KiB; every code unit is at least one byte, so 65536 units is at least 64 KiB).
   */
  taskOutputCap: number;
  /** Largest page any list or search call returns, whatever limit the caller asks for. */
  maxPageSize: number;
  /**
   * How many candidates a search on a word stem checks before it falls back to the
   * plain prefix query (see fts-query.ts); bounds the work of one search.
   */
  searchScanCap: number;
}

export const STORE_DEFAULTS: Readonly<StoreOptions> = Object.freeze({
  busyTimeoutMs: 5000,
  taskOutputCap: 65536,
  maxPageSize: 500,
  searchScanCap: 2000,
});

/** Clamps a caller's page size to 1..maxPageSize. */
export function clampLimit(limit: number, max: number): number {
  if (!Number.isFinite(limit)) return max;
  return Math.max(1, Math.min(Math.floor(limit), max));
}
