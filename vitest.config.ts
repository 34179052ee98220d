import { defineConfig } from "vitest/config";

/**
 * One runner for the whole workspace. Tests sit beside the code they test.
 * Forks, not threads: node-pty and better-sqlite3 are native modules that are
 * not safe to load in worker threads.
 */
export default defineConfig({
  test: {
    include: ["{shared,relay,desktop,mobile,ui,lint,bench,conformance}/**/*.test.{ts,tsx}"],
    exclude: ["**/node_modules/**", "**/dist/**", "**/out/**", "faults/**"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    env: { NODE_ENV: "test" },
  },
});
