/** One id per test process, so names (schemas, log folders, netns) never collide across runs. */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";

export const RUN_ID = `${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}-${randomBytes(3).toString("hex")}`;

/** Short and lowercase, for identifiers with length limits (netns, interfaces, schemas). */
export const SHORT_ID = randomBytes(3).toString("hex");

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
