import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { TestPhone } from "../e2e/test-phone";
import { WEB_ROOT } from "./web-mode";

const DESKTOP = fileURLToPath(new URL("../../../", import.meta.url));

/** Collects a child's stdout and waits for text to appear in it. */
function watch(child: ChildProcessWithoutNullStreams) {
  let out = "";
  let err = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr.on("data", (b: Buffer) => (err += b.toString()));
  return {
    text: () => out,
    async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = out.match(pattern);
        if (m) return m;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${pattern} in stdout:\n${out}\nstderr:\n${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

describe("npm run hub (headless CLI)", () => {
  const dir = mkdtempSync(join(tmpdir(), "nlink-cli-"));
  let child: ChildProcessWithoutNullStreams | null = null;
  let phone: TestPhone | null = null;

  afterAll(() => {
    phone?.stop();
    if (child && child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("pairs a phone when the question is answered y on a piped stdin, and stops cleanly on SIGTERM", async () => {
    child = spawn(process.execPath, ["--import", "tsx", "src/hub/cli/main.ts", "--data", join(dir, "data"), "--name", "CLI Hub", "--port", "0", "--host", "127.0.0.1", "--pair"], {
      cwd: DESKTOP,
      env: { ...process.env, NLINK_LOG_LEVEL: "error" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out = watch(child);
    const relayUrl = (await out.waitFor(/reachable at (ws:\/\/\S+)/))[1]!;
    const uri = (await out.waitFor(/^(nlink:\/\/pair\?\S+)$/m))[1]!;
    expect(out.text()).toContain('This hub is "CLI Hub"');
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
    const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out.text()).toContain("Stopped.");
  }, 60_000);

  it.skipIf(!existsSync(WEB_ROOT))("serves the desktop UI with --web, reachable only with the printed token", async () => {
    const web = spawn(process.execPath, ["--import", "tsx", "src/hub/cli/main.ts", "--data", join(dir, "web"), "--port", "0", "--host", "127.0.0.1", "--web"], {
      cwd: DESKTOP,
      env: { ...process.env, NLINK_LOG_LEVEL: "error" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    child = web;
    const out = watch(web);
    const [, origin, token] = await out.waitFor(/Desktop UI: open (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/);
    expect((await fetch(`${origin}/`)).status).toBe(200);
    const ws = new WebSocket(`${origin!.replace("http", "ws")}/bridge`, { headers: { origin: origin! } });
    const replies: unknown[] = [];
    ws.on("message", (data) => replies.push(JSON.parse(String(data))));
    await once(ws, "open");
    ws.send(JSON.stringify({ type: "auth", token }));
    ws.send(JSON.stringify({ type: "call", id: 1, method: "getStatus" }));
    await expect.poll(() => replies.find((r) => (r as { id?: number }).id === 1), { timeout: 10_000 }).toMatchObject({ ok: true, result: { setupDone: true } });
    ws.close();
    const intruder = new WebSocket(`${origin!.replace("http", "ws")}/bridge`, { headers: { origin: origin! } });
    await once(intruder, "open");
    intruder.send(JSON.stringify({ type: "auth", token: "not-the-token" }));
    const [code] = (await once(intruder, "close")) as [number];
    expect(code).toBe(4401);
    const exited = new Promise<number | null>((resolve) => web.once("exit", (code) => resolve(code)));
    web.kill("SIGINT");
    expect(await exited).toBe(0);
  }, 60_000);
});
