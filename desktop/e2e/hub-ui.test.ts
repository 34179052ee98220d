import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridgeServer, type BridgeServer } from "../src/hub/bridge/bridge-server";
import { startEmbeddedRelay, type EmbeddedRelay } from "../src/hub/embedded-relay";
import { TestPhone } from "../src/hub/e2e/test-phone";
import { HubNode } from "../src/hub/hub-node";
import { artifactPath } from "./artifacts";
import { launchChromium } from "./browser";
import { buildWebUi } from "./build-web";
import { phoneNotes } from "./phone-notes";

/**
 * The desktop UI against the real hub core, end to end: Chromium drives the
 * web-mode page, the page drives HubNode over the bridge, HubNode talks to a
 * real relay, and a phone written with `shared` alone pairs, asks for
 * high-risk commands and writes messages.
 */
const log = pino({ level: "silent" });
const TEST_SHELL = "/bin/sh";
let dir: string;
let relay: EmbeddedRelay;
let hub: HubNode;
let server: BridgeServer;
let browser: Browser;
let page: Page;
let phone: TestPhone;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nl-hub-ui-"));
  const webRoot = await buildWebUi();
  relay = await startEmbeddedRelay({ dataDir: dir, host: "127.0.0.1", port: 0, db: "memory", log });
  // No name: the UI's first-run setup names the hub and points it at the relay.
  // Approvals by the desktop alone, so the UI's answer decides. Terminals run
  // /bin/sh, not $SHELL: an interactive bash reads the machine's rc files,
  // which can hang (a stale pyenv lock held `bash -i` for 60 s here).
  hub = await HubNode.start({ dataDir: join(dir, "hub"), approvals: "desktop", log, executor: { defaultCwd: dir, terminalShell: TEST_SHELL } });
  server = await startBridgeServer({ api: hub, webRoot, log });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  page.setDefaultTimeout(10_000);
  await page.goto(server.url);
}, 120_000);

afterAll(async () => {
  phone?.stop();
  await browser?.close();
  await server?.close();
  await hub?.stop();
  await relay?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("desktop UI with the real hub", () => {
  it("first run: names the hub and connects it to a relay URL", async () => {
    await page.getByLabel("Name of this desktop").fill("Real desk");
    await page.getByRole("radio", { name: "A relay at this URL" }).check();
    await page.getByLabel("Relay WebSocket URL").fill(relay.localUrl);
    await page.getByRole("button", { name: "Start the hub" }).click();
    await page.getByText("Relay connected").waitFor();
    expect(await hub.getStatus()).toMatchObject({ setupDone: true, name: "Real desk", relay: { mode: "url", connected: true } });
  });

  it("pairs a phone after the person compares the SAS", async () => {
    await page.keyboard.press("Control+1");
    await page.getByRole("button", { name: "Show pairing code" }).click();
    const uri = await page.getByLabel("Pairing link (to type or paste on the phone)").inputValue();
    phone = new TestPhone(relay.localUrl, "Pixel 9");
    await phone.connect();
    const { invite, sas } = await phone.requestPairing(uri);
    const dialog = page.getByRole("dialog", { name: "Pair this phone?" });
    await dialog.waitFor();
    expect((await dialog.getByTestId("sas").textContent())?.replace(" ", "")).toBe(sas);
    await dialog.getByText("Pixel 9").waitFor();
    await dialog.getByRole("button", { name: "Accept" }).click();
    await phone.completePairing(invite);
    await page.getByText("Paired with Pixel 9.").waitFor();
    await page.keyboard.press("Control+2");
    await page.getByRole("listitem", { name: "Pixel 9" }).getByText("online").waitFor();
    await page.screenshot({ path: artifactPath("10-real-devices.png") });
  });

  it("approves and rejects high-risk commands asked for by the phone", async () => {
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "x");
    await page.keyboard.press("Control+4");
    const rpc = phone.rpc!;
    const { task } = await rpc.call("tasks.run", { command: `rm -f ${victim}` });
    expect(task.state).toBe("awaiting_approval");
    const dialog = page.getByRole("alertdialog", { name: "Approve this command?" });
    await dialog.getByLabel("Command").getByText(`rm -f ${victim}`, { exact: true }).waitFor();
    await dialog.getByText("Pixel 9").waitFor();
    expect(await dialog.getByRole("list", { name: "Risk reasons" }).getByRole("listitem").count()).toBeGreaterThan(0);
    await page.screenshot({ path: artifactPath("11-real-approval.png") });
    expect(existsSync(victim)).toBe(true);
    await dialog.getByRole("button", { name: "Approve once" }).click();
    await expect.poll(async () => (await hub.getTask({ task: task.id })).state, { timeout: 15_000 }).toBe("done");
    expect(existsSync(victim)).toBe(false);

    writeFileSync(victim, "y");
    const second = (await rpc.call("tasks.run", { command: `rm -f ${victim}` })).task;
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Reject" }).click();
    await expect.poll(async () => (await hub.getTask({ task: second.id })).state).toBe("rejected");
    expect(existsSync(victim)).toBe(true);
  });

  it("shows a desktop command's output while it still runs", async () => {
    await page.getByLabel("Run a command on this desktop").fill("echo live-$((40+2)); sleep 5; echo finished");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    const detail = page.getByRole("article", { name: /^Task echo live/ });
    await detail.getByTestId("task-output").getByText("live-42").waitFor();
    // The sleep holds the task open: output arrived before the end.
    await detail.getByText(/^running/).waitFor();
    await detail.getByTestId("task-output").getByText("finished").waitFor({ timeout: 20_000 });
  });

  it("finds the phone's messages with search", async () => {
    await phone.rpc!.call("messages.send", { text: "remember the quarterly figures" });
    await phone.rpc!.call("messages.send", { text: "lunch at noon" });
    await page.keyboard.press("Control+k");
    await page.getByRole("searchbox", { name: "Search messages" }).fill("quarterly");
    const results = page.getByRole("list", { name: "Search results" });
    await results.getByText("remember the quarterly figures").waitFor();
    expect(await results.getByRole("listitem").count()).toBe(1);
    await results.getByText("Pixel 9").waitFor();
  });

  it("limits the phone from the Devices screen: capabilities and risk overrides", async () => {
    await page.keyboard.press("Control+2");
    const row = page.getByRole("listitem", { name: "Pixel 9" });
    // The toggles show the hub's state, so a click flips one only once the hub answered.
    const approve = row.getByRole("checkbox", { name: "Approve high-risk tasks" });
    await approve.click();
    const device = async () => (await hub.listDevices()).find((d) => d.name === "Pixel 9");
    await expect.poll(async () => (await device())?.caps).toEqual(["chat", "tasks", "doc"]);
    await expect.poll(() => approve.isChecked()).toBe(false);

    await row.getByText("Risk overrides (none)").click();
    const form = row.getByRole("form", { name: "Risk overrides for Pixel 9" });
    // The hub collapses inner spaces: the classifier compares words.
    await form.getByLabel("Never run").fill("echo   forbidden-here\n");
    await form.getByRole("button", { name: "Save risk overrides" }).click();
    await expect.poll(async () => (await device())?.policy).toEqual({ forbid: ["echo forbidden-here"] });
    await row.getByText("Risk overrides (1)").waitFor();
    expect(await form.getByLabel("Never run").inputValue()).toBe("echo forbidden-here");
    const { task } = await phone.rpc!.call("tasks.run", { command: "echo forbidden-here now" });
    expect(task).toMatchObject({ risk: "forbidden", state: "rejected" });
    expect((await phone.rpc!.call("tasks.run", { command: "echo allowed" })).task.risk).toBe("low");
  });

  it("shares the notes pad with the phone, both ways, with live carets", async () => {
    const notes = phoneNotes(phone, hub.device, "Pixel 9");
    try {
      await expect.poll(() => notes.getState().synced, { timeout: 15_000 }).toBe(true);
      await page.keyboard.press("Control+8");
      const pad = page.getByTestId("notes-pad-textarea");
      await page.locator('[data-testid="notes-pad-status"][data-synced="true"]').waitFor();
      await pad.click();
      await page.keyboard.type("Buy milk\n");
      await expect.poll(() => notes.getState().text, { timeout: 15_000 }).toBe("Buy milk\n");
      // The phone sees the desktop person under the hub's name.
      await expect.poll(() => notes.getState().editors.map((e) => e.name)).toContain("Real desk");

      // The phone appends a line and puts its cursor at the end.
      const fromPhone = "Buy milk\nCall the plumber";
      notes.setText(fromPhone);
      notes.setCursor({ anchor: fromPhone.length, head: fromPhone.length });
      await expect.poll(() => pad.inputValue(), { timeout: 15_000 }).toBe(fromPhone);
      await page.getByTestId("notes-pad-editors").getByText("Pixel 9").waitFor();
      await page.locator('[data-testid="notes-pad-caret"][data-name="Pixel 9"]').waitFor();

      // Both edit without waiting for the other: the desktop at the start, the phone at the end; nothing is lost.
      await pad.press("Control+Home");
      await page.keyboard.type("TODO: ");
      notes.setText(`${notes.getState().text}!`);
      const merged = "TODO: Buy milk\nCall the plumber!";
      await expect.poll(() => pad.inputValue(), { timeout: 15_000 }).toBe(merged);
      await expect.poll(() => notes.getState().text, { timeout: 15_000 }).toBe(merged);
      await page.screenshot({ path: artifactPath("13-notes.png") });
    } finally {
      notes.destroy();
    }
    // The phone left: its name and caret go from the pad.
    await page.locator('[data-testid="notes-pad-caret"][data-name="Pixel 9"]').waitFor({ state: "detached" });
  });

  it("opens a terminal on the desktop and shows its echo", async () => {
    await page.keyboard.press("Control+5");
    await page.getByRole("button", { name: "New terminal" }).click();
    const term = page.getByRole("application", { name: /^Terminal / });
    await term.waitFor();
    await term.click();
    await page.keyboard.type("echo xterm-$((6*7))\n");
    await term.locator(".xterm-rows").getByText("xterm-42", { exact: true }).waitFor();
    await page.screenshot({ path: artifactPath("12-real-terminal.png") });
  });

  it("revokes the phone after confirmation", async () => {
    await page.keyboard.press("Control+2");
    await page.getByRole("button", { name: "Revoke Pixel 9" }).click();
    await page.getByRole("alertdialog", { name: "Revoke Pixel 9?" }).getByRole("button", { name: "Revoke" }).click();
    await page.getByText("No paired devices yet.").waitFor();
    expect(await hub.listDevices()).toEqual([]);
  });
});
