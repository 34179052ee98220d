import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BuildError, type BuildTarget, ensureBuilt, isStale, sourceHash, writeStamp } from "./build-stamp";

const root = mkdtempSync(join(tmpdir(), "nlink-build-"));
const stamps = join(root, "stamps");
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A target in a scratch tree without vite: a build that actually runs fails, which tells us it ran.
const target: BuildTarget = {
  name: "app",
  label: "the test app",
  inputs: ["src", "index.html"],
  output: "dist/index.html",
  cwd: ".",
  viteArgs: ["build"],
};

describe("build stamps", () => {
  mkdirSync(join(root, "src", "deep"), { recursive: true });
  writeFileSync(join(root, "src", "a.ts"), "export const a = 1;\n");
  writeFileSync(join(root, "src", "deep", "b.tsx"), "export const b = 2;\n");
  writeFileSync(join(root, "index.html"), "<html></html>\n");

  it("hashes the sources' paths and contents, ignoring tests", () => {
    const h = sourceHash(root, target.inputs);
    writeFileSync(join(root, "src", "a.test.ts"), "test\n");
    expect(sourceHash(root, target.inputs)).toBe(h);
    writeFileSync(join(root, "src", "deep", "b.tsx"), "export const b = 3;\n");
    expect(sourceHash(root, target.inputs)).not.toBe(h);
  });

  it("is stale without output, without a stamp, or when a source changed; current after a stamp", () => {
    expect(isStale(target, root, stamps).stale).toBe(true);
    mkdirSync(join(root, "dist"), { recursive: true });
    writeFileSync(join(root, "dist", "index.html"), "built\n");
    expect(isStale(target, root, stamps).stale).toBe(true);
    writeStamp(target, isStale(target, root, stamps).hash, stamps);
    expect(isStale(target, root, stamps).stale).toBe(false);
    writeFileSync(join(root, "index.html"), "<html>changed</html>\n");
    expect(isStale(target, root, stamps).stale).toBe(true);
  });

  it("builds nothing when the sources match the stamp, and runs the build when they do not", async () => {
    writeStamp(target, isStale(target, root, stamps).hash, stamps);
    const said: string[] = [];
    expect(await ensureBuilt((l) => said.push(l), { targets: [target], root, stampDir: stamps })).toEqual([]);
    expect(said).toEqual([]);
    writeFileSync(join(root, "src", "a.ts"), "export const a = 42;\n");
    await expect(ensureBuilt((l) => said.push(l), { targets: [target], root, stampDir: stamps })).rejects.toThrow(
      BuildError,
    );
    expect(said).toEqual(["Building the test app (its sources changed)..."]);
    // A failed build leaves the target stale, so the next start tries again.
    expect(isStale(target, root, stamps).stale).toBe(true);
  });
});
