import { build, type InlineConfig } from "vite";

/**
 * A production build of a web app from inside a test run. Vitest sets
 * NODE_ENV=test, and Vite takes NODE_ENV over the build mode: a build made
 * under it is a development build (React's dev runtime, `import.meta.env.DEV`
 * true, so the phone app would not register its service worker). The build
 * the user gets is a production one, so that is what tests exercise.
 */
export async function productionBuild(config: InlineConfig): Promise<void> {
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ mode: "production", ...config });
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}
