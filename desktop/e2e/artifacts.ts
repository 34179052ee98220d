import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";

/** Screenshots land in artifacts/desktop/ at the repo root (gitignored). */
export const ARTIFACTS_DIR = resolve(import.meta.dirname, "../../artifacts/desktop");

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return join(ARTIFACTS_DIR, name);
}
