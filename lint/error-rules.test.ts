import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// Lints snippets as if they lived at the given path, with the project's real config.
const eslint = new ESLint({ cwd: new URL("..", import.meta.url).pathname });

async function swallowed(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter(
    (m) => m.ruleId === "no-restricted-syntax" && m.message.startsWith("Do not swallow an error"),
  ).length;
}

const PRELUDE = "declare const p: Promise<void>;\ndeclare const log: { debug(o: object, m: string): void };\n";

describe("error rules: no swallowed errors in production code", () => {
  it.each([
    ["p.catch(() => undefined);", "returns undefined"],
    ["p.catch(() => {});", "an empty body"],
    ["p.catch(() => {\n  // offline: ignored\n});", "a body that is only a comment"],
    ["p.catch(() => void 0);", "void 0"],
    ["declare const noop: () => void;\np.catch(noop);", "a noop handler"],
    ["void p.then(() => 1).catch(() => undefined);", "at the end of a chain"],
  ])("refuses %j (%s)", async (code, _why) => {
    for (const file of [
      "shared/src/x.ts",
      "relay/src/x.ts",
      "desktop/src/hub/x.ts",
      "mobile/src/x.ts",
      "ui/src/x.ts",
      "desktop/src/renderer/src/x.tsx",
    ]) {
      expect(await swallowed(file, PRELUDE + code), file).toBe(1);
    }
  });

  it.each([
    'p.catch((err: unknown) => log.debug({ err: String(err) }, "best effort: the next sync repairs it"));',
    'p.catch((err: unknown) => {\n  throw new Error("wrapped", { cause: err });\n});',
    'p.catch((): never => {\n  throw new Error("the call\'s own error");\n});',
    'try {\n  JSON.parse("x");\n} catch {\n  // not JSON: handled by the caller\'s fallback\n}',
  ])("allows %j", async (code) => {
    expect(await swallowed("desktop/src/hub/x.ts", PRELUDE + code)).toBe(0);
  });

  it("leaves tests alone", async () => {
    expect(await swallowed("desktop/src/hub/x.test.ts", `${PRELUDE}p.catch(() => undefined);`)).toBe(0);
  });
});
