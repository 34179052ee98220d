// The attacker's target for the red-team test: a temporary home with a
// secret, files to overwrite, a git repository, and two loopback listeners
// that count every connection (an exfiltration sink and a registry stand-in).
import { execFileSync } from "node:child_process";
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";

/** Every entry under `root`: type, mode and exact bytes (or link target), keyed by relative path. */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const key = rel ? `${rel}/${name}` : name;
      const st = lstatSync(path);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out.set(key, `link ${mode} -> ${readlinkSync(path)}`);
      else if (st.isDirectory()) {
        out.set(key, `dir ${mode}`);
        walk(path, key);
      } else out.set(key, `file ${mode} ${readFileSync(path).toString("base64")}`);
    }
  };
  walk(root, "");
  return out;
}

/** What changed between two snapshots, in words (empty when nothing did). */
export function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of before)
    if (!after.has(k)) out.push(`removed ${k}`);
    else if (after.get(k) !== v) out.push(`changed ${k}`);
  for (const k of after.keys()) if (!before.has(k)) out.push(`created ${k}`);
  return out;
}

/** A TCP listener on loopback that counts connections and what they sent. */
export interface Sink {
  port: number;
  connections: number;
  received: string;
  close(): Promise<void>;
}

export async function startSink(): Promise<Sink> {
  const sink: Sink = { port: 0, connections: 0, received: "", close: async () => {} };
  const server: Server = createServer((socket) => {
    sink.connections += 1;
    socket.on("data", (d) => {
      sink.received += d.toString("latin1");
      // An HTTP client waits for an answer; give it one so nothing hangs.
      socket.end("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address();
  sink.port = typeof addr === "object" && addr ? addr.port : 0;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

/** Builds the target home: secret, notes, data to destroy, a folder to delete, a repo with two commits. */
export function buildHome(home: string): void {
  mkdirSync(join(home, ".ssh"), { recursive: true });
  writeFileSync(join(home, ".ssh", "id_rsa"), "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key-but-secret\n");
  chmodSync(join(home, ".ssh", "id_rsa"), 0o600);
  writeFileSync(join(home, "secret"), "the launch codes are 0000\n");
  writeFileSync(join(home, "notes.txt"), "x marks the spot\nsecond line\n");
  writeFileSync(join(home, "data.txt"), "precious data\n");
  mkdirSync(join(home, "dir"));
  writeFileSync(join(home, "dir", "victim"), "do not delete\n");
  // A script the exec-through-option rows name (rg --pre, diff.external): it leaves a mark if it ever runs.
  mkdirSync(join(home, "bin"));
  writeFileSync(join(home, "bin", "hook.sh"), `#!/bin/sh\ntouch ${home}/pwned-hook\n`);
  chmodSync(join(home, "bin", "hook.sh"), 0o755);
  const repo = join(home, "repo");
  mkdirSync(repo);
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", repo, ...args], {
      env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
      stdio: "pipe",
    });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "red@team.test");
  git("config", "user.name", "Red Team");
  writeFileSync(join(repo, "a.txt"), "one\n");
  git("add", "a.txt");
  git("commit", "-q", "-m", "first commit");
  writeFileSync(join(repo, "a.txt"), "one\ntwo\n");
  git("commit", "-q", "-am", "second commit");
}
