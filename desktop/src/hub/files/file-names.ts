import { link, open, rename, unlink } from "node:fs/promises";
import { extname, join } from "node:path";

/** Longest file name kept, in UTF-8 bytes (most file systems allow 255). */
export const NAME_MAX_BYTES = 200;
/** Names Windows refuses (a file copied there later would fail), compared without extension. */
const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;
/** Prefix of partial uploads in the landing folder; a sent name never starts with it. */
export const PART_PREFIX = ".nlink-";

function cutBytes(s: string, max: number): string {
  const enc = new TextEncoder();
  if (enc.encode(s).length <= max) return s;
  let out = "";
  for (const ch of s) {
    if (enc.encode(out + ch).length > max) break;
    out += ch;
  }
  return out;
}

/**
 * The name a sent file gets on the desktop: only its last path part (no
 * traversal: "../../.bashrc" becomes "bashrc"), no control or path characters,
 * no leading dots (no hidden files, no "." or ".."), no trailing dots or spaces,
 * not a reserved device name, at most NAME_MAX_BYTES; "file" when nothing is left.
 *
 * @example sanitizeName("../../etc/passwd") // "passwd"; sanitizeName(".bashrc") // "bashrc"
 */
export function sanitizeName(raw: string): string {
  const last =
    raw
      .split(/[/\\]/)
      .filter((p) => p.length > 0)
      .pop() ?? "";
  let name = last
    .normalize("NFC")
    // Control characters (C0, DEL, C1), bidi overrides that disguise an extension, and characters other systems forbid.
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069<>:"|?*]/g, "")
    .trim();
  name = name.replace(/^[.\s]+/, "").replace(/[.\s]+$/, "");
  const ext = extname(name);
  const stem = ext ? name.slice(0, -ext.length) : name;
  if (RESERVED.test(stem)) name = `_${name}`;
  if (name.length === 0) name = "file";
  if (new TextEncoder().encode(name).length > NAME_MAX_BYTES) {
    const e = cutBytes(ext, 32);
    name = cutBytes(stem, NAME_MAX_BYTES - new TextEncoder().encode(e).length) + e;
  }
  return name;
}

/** "name.ext", then "name (1).ext", "name (2).ext", ... */
export function candidateName(name: string, n: number): string {
  if (n === 0) return name;
  const ext = extname(name);
  const stem = ext && ext !== name ? name.slice(0, -ext.length) : name;
  return `${stem} (${n})${ext && ext !== name ? ext : ""}`;
}

/**
 * Gives the finished file `source` its final name in `dir` without ever
 * replacing a file: a hard link fails when the name exists (atomic, no
 * check-then-write race), so the next candidate is tried; then the partial
 * name is removed. Returns the name it got.
 */
export async function placeWithoutOverwrite(
  source: string,
  dir: string,
  name: string,
  maxTries = 10_000,
): Promise<string> {
  for (let n = 0; n < maxTries; n++) {
    const candidate = candidateName(name, n);
    const target = join(dir, candidate);
    try {
      await link(source, target);
      await unlink(source);
      return candidate;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EEXIST") continue;
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw err;
    }
    // A file system without hard links (FAT, some network shares): claim the name exclusively, then rename over our own
    // claim.
    try {
      await (await open(target, "wx")).close();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw err;
    }
    await rename(source, target);
    return candidate;
  }
  throw new Error(`no free name for ${name} after ${maxTries} tries`);
}
