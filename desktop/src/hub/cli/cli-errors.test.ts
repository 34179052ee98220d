import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { openStore } from "../store";
import { CliError, explainError, prepareDataDir } from "./cli-errors";
import { DataDirBusyError } from "./data-lock";

const dir = mkdtempSync(join(tmpdir(), "nlink-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ctx = (dataDir: string) => ({ dataDir, port: 8787 });

describe("CLI errors in one sentence", () => {
  it("refuses a file as the data directory, or a path under a file", () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "x");
    expect(() => prepareDataDir(file)).toThrow(new CliError(`cannot use ${file} as the data directory: it is a file`));
    expect(() => prepareDataDir(join(file, "sub", "dir"))).toThrow(
      new CliError(`cannot use ${join(file, "sub", "dir")} as the data directory: ${file} is a file`),
    );
  });

  it("creates a missing data directory 0700, with its parents", () => {
    const d = join(dir, "new", "nested");
    prepareDataDir(d);
    expect(statSync(d).mode & 0o777).toBe(0o700);
  });

  it("names the database when SQLite cannot open it", async () => {
    const d = join(dir, "db-is-a-folder");
    mkdirSync(join(d, "hub.db"), { recursive: true });
    const err = await openStore({ file: join(d, "hub.db"), log: pino({ level: "silent" }) }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).not.toBeNull();
    expect(explainError(err, ctx(d))).toMatch(new RegExp(`^cannot open the hub database ${join(d, "hub.db")}`));
  });

  it("says which hub holds the directory and what to do about a busy port", () => {
    expect(explainError(new DataDirBusyError(42, "/d"), ctx("/d"))).toBe("another hub (pid 42) is using /d");
    expect(
      explainError(
        Object.assign(new Error("listen EADDRINUSE: address already in use 0.0.0.0:8787"), { code: "EADDRINUSE" }),
        ctx("/d"),
      ),
    ).toBe("port 8787 is already in use (another hub or relay?); choose another with --port, or 0 for any free port");
  });
});
