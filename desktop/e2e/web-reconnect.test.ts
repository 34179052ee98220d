import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../src/hub/cli/build-stamp";
import { artifactPath } from "./artifacts";
import { launchChromium } from "../../test-support/chromium";

/**
 * The desktop UI in web mode against the real CLI hub, restarted under it:
 * the hub keeps its address (port and token) in its data directory, and the
 * open tab reconnects by itself, showing "reconnecting" meanwhile and hub
 * status (relay, devices) as unknown rather than stale.
 */
const DESKTOP = resolve(import.meta.dirname, "..");
/** Bound of one step: a hub start opens its embedded relay's PGlite store, slow on a loaded 2-core machine. */
const STEP_MS = 300_000;
const dir = mkdtempSync(join(tmpdir(), "nl-web-reconnect-"));
let browser: Browser;
let page: Page;
const children: ChildProcessWithoutNullStreams[] = [];

/** Starts the CLI hub with --web and resolves with the address it prints. */
async function startHub(): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/hub/cli/main.ts",
      "--no-build",
      "--data",
      join(dir, "data"),
      "--port",
      "0",
      "--host",
      "127.0.0.1",
      "--web",
    ],
    {
      cwd: DESKTOP,
      env: { ...process.env, NLINK_LOG_LEVEL: "error" },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  children.push(child);
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr.on("data", (b: Buffer) => (out += b.toString()));
  const deadline = Date.now() + STEP_MS;
  for (;;) {
    const m = out.match(/Desktop UI: open (http:\/\/\S+)/);
    if (m) return { child, url: m[1]! };
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the hub printed no address:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopHub(child: ChildProcessWithoutNullStreams): Promise<void> {
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  await exited;
}

beforeAll(async () => {
  await ensureBuilt(() => {});
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  page.setDefaultTimeout(STEP_MS);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("web mode across a hub restart", () => {
  it(
    "the same tab reconnects by itself, and shows hub status as unknown while the hub is away",
    async () => {
      const first = await startHub();
      await page.goto(first.url);
      const status = page.getByRole("status", { name: "Hub status" });
      await status.getByText("Relay connected").waitFor();

      await stopHub(first.child);
      const banner = page.getByRole("alert").filter({ hasText: "Not connected to the hub" });
      await banner.getByText(/Reconnecting \(attempt \d+/).waitFor();
      // Nothing stale under the banner: the relay and devices are unknown, not "connected".
      await status.getByText("Relay: unknown (hub not connected)").waitFor();
      expect(await status.textContent()).not.toContain("Relay connected");
      expect(await status.textContent()).toContain("Devices: unknown");
      await page.screenshot({ path: artifactPath("web-reconnecting.png") });

      const second = await startHub();
      expect(second.url).toBe(first.url);
      // No reload, no new address: the tab is back.
      await status.getByText("Relay connected").waitFor();
      await banner.waitFor({ state: "detached" });
      expect(page.url()).not.toContain("#token=");
      await stopHub(second.child);
    },
    4 * STEP_MS,
  );
});
