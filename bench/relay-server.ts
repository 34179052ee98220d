/**
 * The servers of bench/relay.ts, each in its own child process (this
 * process's `serve` runs there) so that clients and server never share a
 * thread, and the server's CPU time (`process.cpuUsage`) is its own alone.
 *
 * The relay runs as in production (authenticated sessions, grant index,
 * rate limiter, resume buffer, metrics) with its default settings except the
 * ones named in BENCH_LIMITS: the rate and queue limits, raised far enough that
 * a stream of tens of thousands of frames per second from one connection is
 * not refused. The limiter still charges every message; only the numbers differ.
 *
 * `NLINK_BENCH_CPU_PROF=DIR` profiles each server (node:inspector) over
 * every measured forwarding stream, one `.cpuprofile` per stream in DIR, to
 * see where each spends its time (relay-forward.ts asks for them).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startRelay } from "../relay/src/index";
import { startBareForwarder } from "../relay/test/bare-forwarder";
import { silentLogger } from "../relay/test/test-databases";
import { type AuthRate, authVerificationRate } from "./relay-auth";

export type Kind = "relay" | "bare";

/** Documented bench limits (docs/relay.md, "Measured figures"): everything else is the relay's default. */
export const BENCH_LIMITS = {
  opsPerSecond: 1e9,
  opsBurst: 1e9,
  bytesPerSecond: 1e12,
  queueMaxFrames: 1e6,
  queueMaxBytes: 1e10,
};

/** Child mode: serves one server, prints its port, then answers commands on stdin (one per line). */
export async function serve(kind: Kind, db: string, schema: string | undefined): Promise<void> {
  const port =
    kind === "bare"
      ? (await startBareForwarder()).port
      : (
          await startRelay({
            port: 0,
            db,
            ...(schema !== undefined ? { dbSchema: schema } : {}),
            logger: silentLogger,
            appDir: null,
            relayId: "bench",
            heartbeatMs: 600_000,
            authTimeoutMs: 600_000,
            limits: BENCH_LIMITS,
            exceedProtocolLimits: true,
          })
        ).port;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  const gc = (globalThis as { gc?: () => void }).gc;
  const reply = (stats: Partial<Stats>) =>
    process.stdout.write(`${JSON.stringify({ rss: 0, heap: 0, cpuUs: 0, userUs: 0, ...stats })}\n`);
  const cpuUs = () => {
    const cpu = process.cpuUsage();
    return { cpuUs: cpu.user + cpu.system, userUs: cpu.user };
  };
  const profiler = new Session();
  profiler.connect();
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk: string) => {
    for (const command of chunk.split("\n").filter((l) => l.length > 0)) {
      if (command === "cpu") {
        // CPU time used so far, without a collection first (it would count as the server's).
        reply(cpuUs());
      } else if (command === "gc") {
        // Between measured steps: garbage left by an earlier step is not charged to the next one.
        gc?.();
        gc?.();
        reply(cpuUs());
      } else if (command === "profile-start") {
        // Every 100 µs: a stream of about a second gives thousands of samples, not hundreds.
        profiler.post("Profiler.enable", () =>
          profiler.post("Profiler.setSamplingInterval", { interval: 100 }, () =>
            profiler.post("Profiler.start", () => reply({})),
          ),
        );
      } else if (command.startsWith("profile-stop ")) {
        const file = command.slice("profile-stop ".length);
        profiler.post("Profiler.stop", (err, result) => {
          if (err === null) writeFileSync(file, JSON.stringify(result.profile));
          reply({});
        });
      } else if (command === "auth") {
        reply({ auth: authVerificationRate("bench") });
      } else {
        // "mem": memory after a full collection, so that garbage does not count.
        gc?.();
        gc?.();
        const m = process.memoryUsage();
        reply({ rss: m.rss, heap: m.heapUsed, ...cpuUs() });
      }
    }
  });
  process.stdin.on("end", () => process.exit(0));
}

export interface CpuTime {
  cpuUs: number;
  userUs: number;
}

interface Stats {
  rss: number;
  heap: number;
  /** CPU time the server process has used, user + system, µs. */
  cpuUs: number;
  /** Of which in user mode (the rest is the kernel's, mostly socket reads and writes), µs. */
  userUs: number;
  auth?: AuthRate;
}

export interface Server {
  kind: Kind;
  url: string;
  child: ChildProcess;
  memory(): Promise<Stats>;
  /** CPU time used so far (no collection first), µs, and how much of it in user mode. */
  cpu(): Promise<CpuTime>;
  /** Runs a full collection in the server (between measurements), returns its CPU time after it. */
  collect(): Promise<CpuTime>;
  /** With NLINK_BENCH_CPU_PROF: starts profiling the server; `stop` writes the profile as `name`.cpuprofile. */
  profile(): Promise<{ stop(name: string): Promise<void> }>;
  /** AUTH signatures the server process verifies, per second of wall time and of its own CPU time. */
  authRate(): Promise<AuthRate>;
  stop(): Promise<void>;
}

export async function spawnServer(kind: Kind, db = "none", schema?: string): Promise<Server> {
  const entry = fileURLToPath(new URL("./relay.ts", import.meta.url));
  const profileDir = process.env.NLINK_BENCH_CPU_PROF;
  const profile = kind === "relay" && profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(
    process.execPath,
    [
      ...profile,
      "--expose-gc",
      "--import",
      "tsx",
      entry,
      `serve-${kind}`,
      db,
      ...(schema !== undefined ? [schema] : []),
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const lines: string[] = [];
  let waiting: (() => void) | null = null;
  let out = "";
  child.stdout!.on("data", (c: Buffer) => {
    out += c.toString();
    const parts = out.split("\n");
    out = parts.pop()!;
    lines.push(...parts.filter((l) => l.length > 0));
    waiting?.();
  });
  const nextLine = async (): Promise<string> => {
    while (lines.length === 0) await new Promise<void>((resolve) => (waiting = resolve));
    return lines.shift()!;
  };
  const ask = async (command: string): Promise<Stats> => {
    child.stdin!.write(`${command}\n`);
    return JSON.parse(await nextLine()) as Stats;
  };
  child.on("exit", (code) => {
    if (code !== 0) console.error(`${kind} server exited ${code}`);
  });
  const port = (JSON.parse(await nextLine()) as { port: number }).port;
  const url = kind === "relay" ? `ws://127.0.0.1:${port}/v1/gateway` : `ws://127.0.0.1:${port}`;
  return {
    kind,
    url,
    child,
    memory: () => ask("mem"),
    cpu: () => ask("cpu"),
    collect: () => ask("gc"),
    profile: async () => {
      const dir = process.env.NLINK_BENCH_CPU_PROF;
      if (dir === undefined || dir === "") return { stop: async () => undefined };
      await ask("profile-start");
      return { stop: async (name) => void (await ask(`profile-stop ${join(dir, `${kind}-${name}.cpuprofile`)}`)) };
    },
    authRate: async () => (await ask("auth")).auth!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin!.end();
      }),
  };
}
