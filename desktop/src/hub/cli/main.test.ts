import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { TestPhone } from "../../../test/test-phone";
import { WEB_ADDRESS_FILE } from "../bridge/web-address";
import { ensureBuilt } from "./build-stamp";

const DESKTOP = fileURLToPath(new URL("../../../", import.meta.url));
const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const ENV = { ...process.env, NLINK_LOG_LEVEL: "error" };
/** Bound of one step (a hub start opens its embedded relay's PGlite store: slow on a loaded 2-core machine). */
const STEP_MS = 300_000;

/** Collects a child's output and waits for text to appear in it. */
function watch(child: ChildProcessWithoutNullStreams) {
  let out = "";
  let err = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr.on("data", (b: Buffer) => (err += b.toString()));
  return {
    text: () => out,
    err: () => err,
    async waitFor(pattern: RegExp, timeoutMs = STEP_MS): Promise<RegExpMatchArray> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = out.match(pattern);
        if (m) return m;
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`no ${pattern} in stdout:\n${out}\nstderr:\n${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** Starts the CLI hub (the build was done once in beforeAll). */
function hub(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(
    process.execPath,
    ["--import", "tsx", "src/hub/cli/main.ts", "--no-build", "--port", "0", "--host", "127.0.0.1", ...args],
    { cwd: DESKTOP, env: ENV, stdio: ["pipe", "pipe", "pipe"] },
  );
}

/** Runs the CLI to completion (a subcommand or a failing start). */
function cli(args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/hub/cli/main.ts", "--no-build", ...args], {
    cwd: DESKTOP,
    env: ENV,
    encoding: "utf8",
    timeout: STEP_MS,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function stop(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = once(child, "exit");
  child.kill(signal);
  return ((await exited) as [number | null])[0];
}

describe("npm run hub (headless CLI)", () => {
  const dir = mkdtempSync(join(tmpdir(), "nlink-cli-"));
  const children: ChildProcessWithoutNullStreams[] = [];
  let phone: TestPhone | null = null;
  const start = (args: string[]) => {
    const c = hub(args);
    children.push(c);
    return c;
  };

  // The web UI must exist for the --web test: build it when its sources changed, never skip the test.
  beforeAll(() => ensureBuilt(() => {}), 600_000);

  afterAll(() => {
    phone?.stop();
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    "pairs a phone when the question is answered y on a piped stdin; devices subcommands reach the running hub, then the store; stops cleanly",
    async () => {
      const data = join(dir, "data");
      const child = start(["--data", data, "--name", "CLI Hub", "--pair"]);
      const out = watch(child);
      const relayUrl = (await out.waitFor(/reachable at (ws:\/\/\S+)/))[1]!;
      const uri = (await out.waitFor(/^(nlink:\/\/pair\?\S+)$/m))[1]!;
      expect(out.text()).toContain('This hub is "CLI Hub"');
      expect(out.text()).toContain("Sandbox: Low-risk commands run in a bubblewrap sandbox");
      await out.waitFor(/The code works once, for 5 minutes/);
      phone = new TestPhone(relayUrl, "Piped Phone");
      await phone.connect();
      const { invite, sas } = await phone.requestPairing(uri);
      await out.waitFor(/Pair with the phone "Piped Phone"\? Check that it shows (\d{3}) (\d{3})\. \[y\/N\] /);
      expect(out.text()).toContain(`${sas.slice(0, 3)} ${sas.slice(3)}`);
      child.stdin.write("y\n");
      await phone.completePairing(invite);
      await out.waitFor(/Paired with "Piped Phone"\./);
      expect(await phone.rpc!.call("hub.info", {})).toMatchObject({ name: "CLI Hub" });
      // Nothing secret is printed: the QR link carries the one-time token, and nothing else holds a key.
      expect(out.text()).not.toMatch(/secret/i);

      // The running hub is asked through its control socket: the phone sees the new capability at once.
      expect(statSync(join(data, "control.sock")).mode & 0o777).toBe(0o600);
      const listed = cli(["devices", "list", "--data", data]);
      expect(listed.code).toBe(0);
      expect(listed.out).toMatch(/Piped Phone\s+phone\s+yes\s+chat, tasks, approve, doc/);
      const granted = cli(["devices", "grant", "piped phone", "terminal", "--data", data]);
      expect(granted.err).toBe("");
      expect(granted.out).toContain('"Piped Phone" may now: chat, tasks, approve, terminal, doc.');
      expect(await phone.rpc!.call("hub.info", {})).toMatchObject({ caps: expect.arrayContaining(["terminal"]) });

      expect(await stop(child)).toBe(0);
      expect(out.text()).toContain("Stopped.");

      // No hub runs now: the subcommands work on the store itself, by id prefix.
      const renamed = cli(["devices", "rename", phone.device.slice(0, 6), "Old Phone", "--data", data]);
      expect(renamed.out).toContain('Renamed "Piped Phone" to "Old Phone".');
      const revoked = cli(["devices", "revoke", "Old Phone", "--data", data]);
      expect(revoked.out).toContain("The relay will be told to refuse it when the hub next connects.");
      expect(cli(["devices", "list", "--data", data]).out).toContain("No paired devices.");
    },
    4 * STEP_MS,
  );

  it(
    "refuses a second hub on the same data directory, and starts after the first was SIGKILLed",
    async () => {
      const data = join(dir, "twice");
      const first = start(["--data", data]);
      await watch(first).waitFor(/This hub is/);
      const second = cli(["--data", data, "--port", "0", "--host", "127.0.0.1"]);
      expect(second.code).toBe(1);
      expect(second.err).toBe(`Another hub (pid ${first.pid}) is using ${data}.\n`);
      await stop(first, "SIGKILL");
      const again = start(["--data", data]);
      await watch(again).waitFor(/Connected to the relay\./);
      expect(await stop(again)).toBe(0);
    },
    3 * STEP_MS,
  );

  it(
    "reports an unreachable relay with its cause, and takes a base URL",
    async () => {
      const probe = createServer();
      const port = await new Promise<number>((r) =>
        probe.listen(0, "127.0.0.1", () => r((probe.address() as AddressInfo).port)),
      );
      await new Promise<void>((r) => probe.close(() => r()));
      const child = start(["--data", join(dir, "remote"), "--relay", `ws://127.0.0.1:${port}`]);
      const out = watch(child);
      await out.waitFor(new RegExp(`Cannot reach the relay at ws://127\\.0\\.0\\.1:${port}/v1/gateway: refused`));
      expect(out.text()).toContain(`Phone app: open http://127.0.0.1:${port}/app/`);
      expect(out.text()).toContain("this machine only");
      expect(await stop(child)).toBe(0);
    },
    2 * STEP_MS,
  );

  it(
    "stops in order when told to while it is still starting, and at once when told twice",
    async () => {
      const data = join(dir, "early");
      // The first line is printed before the store and the embedded relay open: the signal lands mid-start.
      const patient = start(["--data", data]);
      const out = watch(patient);
      await out.waitFor(/Starting the Neural Link hub/);
      expect(await stop(patient)).toBe(0);
      expect(out.text()).toMatch(/This hub is[\s\S]*Stopping\.\.\.\nStopped\.\n$/);

      const impatient = start(["--data", data]);
      const said = watch(impatient);
      await said.waitFor(/Starting the Neural Link hub/);
      const exited = once(impatient, "exit");
      impatient.kill("SIGINT");
      impatient.kill("SIGTERM");
      // Both are pending when Node looks: which it hears second (and exits with) is not ordered.
      expect([130, 143]).toContain(((await exited) as [number | null])[0]);
      expect(said.text()).toContain("Stopping without waiting.");
      // Its data lock went with it: the next start is not refused.
      const next = start(["--data", data]);
      await watch(next).waitFor(/This hub is/);
      expect(await stop(next)).toBe(0);
    },
    3 * STEP_MS,
  );

  it("says one sentence, without a stack or npm's epilogue, when the data directory cannot be used", () => {
    const r = spawnSync("npm", ["run", "hub", "--", "--data", "/etc/passwd"], {
      cwd: REPO,
      env: ENV,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("Cannot use /etc/passwd as the data directory: it is a file.\n");
  }, 60_000);

  it(
    "serves the desktop UI with --web at the same address after a restart, reachable only with its token",
    async () => {
      const data = join(dir, "web");
      const first = start(["--data", data, "--web"]);
      const [, origin, token] = await watch(first).waitFor(
        /Desktop UI: open (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/,
      );
      expect(statSync(join(data, WEB_ADDRESS_FILE)).mode & 0o777).toBe(0o600);
      expect((await fetch(`${origin}/`)).status).toBe(200);
      const ws = new WebSocket(`${origin!.replace("http", "ws")}/bridge`, { headers: { origin: origin! } });
      const replies: unknown[] = [];
      ws.on("message", (d) => replies.push(JSON.parse(String(d))));
      await once(ws, "open");
      ws.send(JSON.stringify({ type: "auth", token }));
      ws.send(JSON.stringify({ type: "call", id: 1, method: "getStatus" }));
      await expect
        .poll(() => replies.find((r) => (r as { id?: number }).id === 1), { timeout: 10_000 })
        .toMatchObject({ ok: true, result: { setupDone: true } });
      ws.close();
      const intruder = new WebSocket(`${origin!.replace("http", "ws")}/bridge`, { headers: { origin: origin! } });
      await once(intruder, "open");
      intruder.send(JSON.stringify({ type: "auth", token: "not-the-token" }));
      const [code] = (await once(intruder, "close")) as [number];
      expect(code).toBe(4401);
      expect(await stop(first, "SIGINT")).toBe(0);

      const second = start(["--data", data, "--web"]);
      const again = await watch(second).waitFor(/Desktop UI: open (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/);
      expect([again[1], again[2]]).toEqual([origin, token]);
      expect(await stop(second)).toBe(0);

      const rotated = start(["--data", data, "--web", "--rotate-web-token"]);
      const third = await watch(rotated).waitFor(/Desktop UI: open (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/);
      expect(third[1]).toBe(origin);
      expect(third[2]).not.toBe(token);
      expect(await stop(rotated)).toBe(0);
    },
    4 * STEP_MS,
  );
});
