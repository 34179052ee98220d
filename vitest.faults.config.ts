import { defineConfig } from "vitest/config";

/**
 * The fault suite (`npm run test:faults`, faults/README.md): real relay and hub
 * processes killed, cut off and flooded. One file at a time: scenarios measure
 * latency and memory and would disturb each other on a 2-core machine.
 */
export default defineConfig({
  test: {
    include: ["faults/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    pool: "forks",
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 90_000,
    env: { NODE_ENV: "test" },
  },
});
