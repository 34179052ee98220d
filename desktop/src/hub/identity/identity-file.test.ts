import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceIdOf, generateIdentity, identityToStored } from "@neural-link/shared/crypto";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IDENTITY_FILE, loadOrCreateIdentity } from "./identity-file";
import { IdentityError } from "./identity-error";

const log = pino({ level: "silent" });
let dir: string;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), "nlink-identity-")), "data");
});
afterEach(() => rmSync(join(dir, ".."), { recursive: true, force: true }));

async function refusal(): Promise<IdentityError> {
  const err = await loadOrCreateIdentity({ dir, log }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(IdentityError);
  return err as IdentityError;
}

function writeIdentityFile(content: string, mode = 0o600): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, IDENTITY_FILE);
  writeFileSync(file, content, { mode });
  chmodSync(file, mode);
  return file;
}

describe("loadOrCreateIdentity", () => {
  it("creates the identity file with mode 0600 on first run and loads the same keys afterwards", async () => {
    const first = await loadOrCreateIdentity({ dir, log });
    expect(first.created).toBe(true);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(first.identity.signPublicKey).toHaveLength(32);
    expect(first.identity.signSecretKey).toHaveLength(64);
    expect(first.identity.boxPublicKey).toHaveLength(32);
    expect(first.identity.boxSecretKey).toHaveLength(32);
    expect(readdirSync(dir)).toEqual([IDENTITY_FILE]); // no temp file left behind

    const again = await loadOrCreateIdentity({ dir, log });
    expect(again.created).toBe(false);
    expect(again.identity).toEqual(first.identity);
  });

  it("gives one identity to concurrent first starts", async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => loadOrCreateIdentity({ dir, log })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const ids = new Set(results.map((r) => deviceIdOf(r.identity.signPublicKey)));
    expect(ids.size).toBe(1);
  });

  it("refuses a file readable by group or others, naming the fix", async () => {
    const { file } = await loadOrCreateIdentity({ dir, log });
    const secret = JSON.parse(readFileSync(file, "utf8")).signSecretKey as string;
    for (const mode of [0o640, 0o604, 0o644]) {
      chmodSync(file, mode);
      const err = await refusal();
      expect(err.code).toBe("insecure_permissions");
      expect(err.message).toContain(`mode ${mode.toString(8)}`);
      expect(err.message).toContain("chmod 600");
      expect(err.message).not.toContain(secret);
    }
  });

  it("refuses malformed files without echoing their contents", async () => {
    const stored = identityToStored(generateIdentity());
    const other = identityToStored(generateIdentity());
    const cases = [
      "{ not json " + stored.signSecretKey,
      JSON.stringify(["array"]),
      JSON.stringify({ v: 2, ...stored }),
      JSON.stringify({ v: 1, ...stored, boxSecretKey: undefined }),
      JSON.stringify({ v: 1, ...stored, signSecretKey: "!!!" }),
      JSON.stringify({ v: 1, ...stored, boxSecretKey: other.boxSecretKey }),
    ];
    for (const content of cases) {
      writeIdentityFile(content);
      const err = await refusal();
      expect(err.code, content.slice(0, 20)).toBe("malformed");
      expect(err.message).toContain("malformed");
      expect(err.message).not.toContain(stored.signSecretKey);
      expect(err.message).not.toContain(stored.boxSecretKey);
    }
  });

  it("refuses a directory in place of the file", async () => {
    mkdirSync(join(dir, IDENTITY_FILE), { recursive: true });
    expect((await refusal()).code).toBe("not_a_file");
  });

  it("loads a valid file written by hand", async () => {
    const id = generateIdentity();
    writeIdentityFile(JSON.stringify({ v: 1, ...identityToStored(id) }));
    const loaded = await loadOrCreateIdentity({ dir, log });
    expect(loaded.created).toBe(false);
    expect(loaded.identity).toEqual(id);
  });
});
