import { join } from "node:path";

/**
 * The hub's data directory: the same as `npm run hub` uses ($NLINK_DATA, else
 * ~/.neural-link), so the app and the headless hub are one hub with one
 * identity and one set of paired phones. Only one of them may run at a time.
 */
export function hubDataDir(env: Record<string, string | undefined>, home: string): string {
  return env.NLINK_DATA || join(home, ".neural-link");
}
