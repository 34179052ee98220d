import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { acquireDataLock, type DataLock, DataDirBusyError } from "./data-lock";

/** The repository root (this file is desktop/src/hub/cli/). */
export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
/** Where build stamps live: npm's conventional cache folder, never committed. */
export const STAMP_DIR = join(REPO_ROOT, "node_modules", ".cache", "neural-link");

/** Something `npm run hub` serves that is built from sources: the phone app and the web UI. */
export interface BuildTarget {
  name: string;
  /** What to tell the person, e.g. "the phone app". */
  label: string;
  /** Files and folders (relative to the repository root) whose content the build depends on. */
  inputs: readonly string[];
  /** A file the build writes; a build without it counts as missing. */
  output: string;
  /** The workspace folder the build runs in and its vite arguments. */
  cwd: string;
  viteArgs: readonly string[];
}

/** Lockfile, shared code and the shared React pieces (ui) feed both builds. */
const COMMON = ["package-lock.json", "shared/src", "shared/package.json", "ui/src", "ui/package.json"];

export const BUILD_TARGETS: readonly BuildTarget[] = [
  {
    name: "phone-app",
    label: "the phone app",
    inputs: [
      ...COMMON,
      "mobile/src",
      "mobile/public",
      "mobile/index.html",
      "mobile/vite.config.ts",
      "mobile/app-shell.config.ts",
      "mobile/package.json",
    ],
    output: "mobile/dist/index.html",
    cwd: "mobile",
    viteArgs: ["build", "--logLevel", "warn"],
  },
  {
    name: "web-ui",
    label: "the desktop web UI",
    inputs: [
      ...COMMON,
      "desktop/src/renderer",
      "desktop/src/preload",
      "desktop/vite.web.config.ts",
      "desktop/package.json",
    ],
    output: "desktop/dist/web/index.html",
    cwd: "desktop",
    viteArgs: ["build", "--config", "vite.web.config.ts", "--logLevel", "warn"],
  },
];

/** Tests never change what a build produces, so editing one does not force a rebuild. */
const isTest = (name: string) => /\.test\.tsx?$/.test(name);

function addFiles(root: string, path: string, out: string[]): void {
  const entries = readdirSync(join(root, path), { withFileTypes: true, recursive: true });
  for (const e of entries) if (e.isFile() && !isTest(e.name)) out.push(relative(root, join(e.parentPath, e.name)));
}

/**
 * A content hash of a target's inputs: every file's path and bytes, in a
 * fixed order. Reading a few hundred source files takes milliseconds, and
 * unlike modification times it is right after a checkout or a copy.
 */
export function sourceHash(root: string, inputs: readonly string[]): string {
  const files: string[] = [];
  for (const input of inputs) {
    const full = join(root, input);
    if (!existsSync(full)) continue;
    if (readdirSafe(full)) addFiles(root, input, files);
    else files.push(input);
  }
  files.sort();
  const h = createHash("sha256");
  for (const f of files)
    h.update(f)
      .update("\0")
      .update(readFileSync(join(root, f)))
      .update("\0");
  return h.digest("hex");
}

function readdirSafe(path: string): boolean {
  try {
    readdirSync(path);
    return true;
  } catch {
    return false;
  }
}

const stampFile = (stampDir: string, t: BuildTarget) => join(stampDir, `${t.name}.hash`);

/** True when the output is missing or was built from other sources than today's. */
export function isStale(t: BuildTarget, root = REPO_ROOT, stampDir = STAMP_DIR): { stale: boolean; hash: string } {
  const hash = sourceHash(root, t.inputs);
  if (!existsSync(join(root, t.output))) return { stale: true, hash };
  let stamp = "";
  try {
    stamp = readFileSync(stampFile(stampDir, t), "utf8").trim();
  } catch {
    // No stamp: built by hand or by an older version; build once more to be sure.
  }
  return { stale: stamp !== hash, hash };
}

/** Records that the output now matches these sources. */
export function writeStamp(t: BuildTarget, hash: string, stampDir = STAMP_DIR): void {
  mkdirSync(stampDir, { recursive: true });
  writeFileSync(stampFile(stampDir, t), `${hash}\n`);
}

export class BuildError extends Error {
  override readonly name = "BuildError";
}

/** Runs vite for one target; its warnings and errors go to our stderr. */
function runVite(t: BuildTarget, root: string): Promise<void> {
  const vite = join(root, "node_modules", "vite", "bin", "vite.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, ...t.viteArgs], {
      cwd: join(root, t.cwd),
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.once("error", (err) => reject(new BuildError(`could not build ${t.label}: ${err.message}`)));
    child.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new BuildError(`building ${t.label} failed (vite exited with ${code}); see the lines above`)),
    );
  });
}

/** How long a build waits for another process's build of the same tree (a second hub, a parallel test). */
export const BUILD_LOCK_WAIT_MS = 10 * 60_000;
const BUILD_LOCK = "build.lock";
const BUILD_LOCK_POLL_MS = 200;

/** Takes the build lock of the stamp folder, waiting while another live process holds it. */
async function buildLock(stampDir: string): Promise<DataLock> {
  mkdirSync(stampDir, { recursive: true });
  const deadline = Date.now() + BUILD_LOCK_WAIT_MS;
  for (;;) {
    try {
      return acquireDataLock(stampDir, BUILD_LOCK);
    } catch (err) {
      if (!(err instanceof DataDirBusyError) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, BUILD_LOCK_POLL_MS));
    }
  }
}

/**
 * Builds each target whose sources changed since its last build (all of
 * them with `force`), and only those: a restart with nothing changed costs a
 * hash of the sources. Builds of one tree are serialized by a lock, so two
 * hubs or parallel tests never write the same output at once. Returns the
 * labels it built.
 */
export async function ensureBuilt(
  say: (line: string) => void,
  opts: { force?: boolean; targets?: readonly BuildTarget[]; root?: string; stampDir?: string } = {},
): Promise<string[]> {
  const { targets = BUILD_TARGETS, root = REPO_ROOT, stampDir = STAMP_DIR } = opts;
  const built: string[] = [];
  const lock = await buildLock(stampDir);
  try {
    for (const t of targets) {
      const { stale, hash } = isStale(t, root, stampDir);
      if (!stale && !opts.force) continue;
      say(opts.force ? `Building ${t.label}...` : `Building ${t.label} (its sources changed)...`);
      await runVite(t, root);
      writeStamp(t, hash, stampDir);
      built.push(t.label);
    }
  } finally {
    lock.release();
  }
  return built;
}
