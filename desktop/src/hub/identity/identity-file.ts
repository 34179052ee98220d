import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { link, lstat, mkdir, open, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import {
  generateIdentity,
  identityFromStored,
  identityToStored,
  type Identity,
  type StoredIdentity,
} from "@neural-link/shared/crypto";
import type { Logger } from "pino";
import { IdentityError } from "./identity-error";

/** File name of the hub's key pairs inside the data directory. */
export const IDENTITY_FILE = "identity.json";
/** Format version written into the file, so a later format can be told apart. */
const FORMAT = 1;
/** Group and other permission bits: any of them set means someone else may read the secret keys. */
const GROUP_OTHER_BITS = 0o077;
/** POSIX permissions mean nothing on Windows; there the data directory's ACL protects the file. */
const CHECK_MODE = process.platform !== "win32";

/**
 * Loads the hub's identity from `<dir>/identity.json`, creating it (mode 0600)
 * with fresh key pairs on first run. Refuses, with an `IdentityError` saying what
 * to do, a file that group or others may read, that is not a regular file, or
 * whose keys are malformed or do not belong together.
 *
 * @example const { identity } = await loadOrCreateIdentity({ dir: dataDir, log });
 */
export async function loadOrCreateIdentity(opts: {
  dir: string;
  log: Logger;
}): Promise<{ identity: Identity; file: string; created: boolean }> {
  const log = opts.log.child({ mod: "hub/identity" });
  const file = join(opts.dir, IDENTITY_FILE);
  if (!(await exists(file))) {
    const identity = generateIdentity();
    if (await createExclusive(opts.dir, file, identity)) {
      log.info({ file, device: identityToStored(identity).signPublicKey }, "created a new hub identity");
      return { identity, file, created: true };
    }
    // Another process created it between our check and our link: use theirs.
  }
  return { identity: await readIdentity(file), file, created: false };
}

/** Reads and checks an existing identity file. */
export async function readIdentity(file: string): Promise<Identity> {
  const st = await lstat(file).catch((err: unknown) => {
    throw new IdentityError("io", `cannot read the identity file ${file}: ${errCode(err)}`, { cause: err });
  });
  if (!st.isFile())
    throw new IdentityError(
      "not_a_file",
      `${file} is not a regular file; move it away so a new identity can be created`,
    );
  if (CHECK_MODE && (st.mode & GROUP_OTHER_BITS) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(3, "0");
    throw new IdentityError(
      "insecure_permissions",
      `the identity file ${file} holds secret keys but has mode ${mode}, readable by other users; run: chmod 600 '${file}'`,
    );
  }
  if (CHECK_MODE && typeof process.getuid === "function" && st.uid !== process.getuid()) {
    throw new IdentityError(
      "insecure_permissions",
      `the identity file ${file} belongs to another user (uid ${st.uid})`,
    );
  }
  const text = await readFile(file, "utf8").catch((err: unknown) => {
    throw new IdentityError("io", `cannot read the identity file ${file}: ${errCode(err)}`, { cause: err });
  });
  return parseIdentity(text, file);
}

/** Never echoes the text: it holds secret keys. */
function parseIdentity(text: string, file: string): Identity {
  const malformed = (why: string) =>
    new IdentityError(
      "malformed",
      `the identity file ${file} is malformed (${why}); restore it from a backup, or delete it to create a new identity (phones must then pair again)`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw malformed("not JSON");
  }
  if (typeof raw !== "object" || raw === null) throw malformed("not an object");
  const obj = raw as Record<string, unknown>;
  if (obj.v !== FORMAT) throw malformed(`unknown format version`);
  const keys = ["signPublicKey", "signSecretKey", "boxPublicKey", "boxSecretKey"] as const;
  for (const k of keys) if (typeof obj[k] !== "string") throw malformed(`${k} missing`);
  try {
    return identityFromStored(obj as unknown as StoredIdentity);
  } catch {
    throw malformed("keys are invalid or do not belong together");
  }
}

/**
 * Writes the file so that no reader ever sees a partial one: a temp file created
 * 0600 and synced, then hard-linked into place (link fails if the name exists,
 * unlike rename, so two first starts cannot overwrite each other).
 * @returns false if the file appeared meanwhile.
 */
async function createExclusive(dir: string, file: string, identity: Identity): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await mkdir(dir, { recursive: true, mode: 0o700 })
    .then(() => open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600))
    .catch((err: unknown) => {
      throw new IdentityError("io", `cannot create the identity file ${file}: ${errCode(err)}`, { cause: err });
    });
  try {
    await handle.writeFile(`${JSON.stringify({ v: FORMAT, ...identityToStored(identity) }, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(tmp, file);
    return true;
  } catch (err) {
    if (errCode(err) === "EEXIST") return false;
    throw new IdentityError("io", `cannot create the identity file ${file}: ${errCode(err)}`, { cause: err });
  } finally {
    await unlink(tmp);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch (err) {
    if (errCode(err) === "ENOENT") return false;
    throw new IdentityError("io", `cannot read the identity file ${file}: ${errCode(err)}`, { cause: err });
  }
}

function errCode(err: unknown): string {
  return typeof err === "object" && err !== null && "code" in err ? String(err.code) : String(err);
}
