import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { openStore, type OpenStoreArgs, type Store } from "./open-store";

/** A temp directory removed by `cleanup()`; for tests and the benchmark. */
export function tempDir(prefix = "nlink-store-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const silentLog = pino({ level: "silent" });

/** Opens a store on a fresh SQLite file in a temp directory. */
export async function openTempStore(
  args: Partial<OpenStoreArgs> = {},
): Promise<{ store: Store; file: string; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = tempDir();
  const file = join(dir, "hub.db");
  const store = await openStore({ log: silentLog, ...args, file });
  return {
    store,
    file,
    cleanup: async () => {
      await store.close();
      cleanup();
    },
  };
}
