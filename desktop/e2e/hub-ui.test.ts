import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridgeServer, type BridgeServer } from "../src/hub/bridge/bridge-server";
import { startEmbeddedRelay, type EmbeddedRelay } from "../src/hub/embedded-relay";
import { TestPhone } from "../test/test-phone";
import { HubNode } from "../src/hub/hub-node";
import { artifactPath } from "./artifacts";
import { launchChromium } from "../../test-support/chromium";
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
let webRoot: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nl-hub-ui-"));
  webRoot = await buildWebUi();
  relay = await startEmbeddedRelay({ dataDir: dir, host: "127.0.0.1", port: 0, db: "memory", log });
  // No name: the UI's first-run setup names the hub and points it at the relay.
  // Approvals by the desktop alone, so the UI's answer decides. Terminals run
  // /bin/sh, not $SHELL: an interactive bash reads the machine's rc files,
  // which can hang (a stale pyenv lock held `bash -i` for 60 s here).
  hub = await HubNode.start({
    dataDir: join(dir, "hub"),
    approvals: "desktop",
    log,
    executor: { defaultCwd: dir, terminalShell: TEST_SHELL },
  });
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
    await page.getByRole("heading", { name: "Welcome to Neural Link" }).waitFor();
    // The token travels in the fragment once, then leaves the address bar (and the history).
    expect(page.url()).not.toContain("token");
    await page.getByLabel("Name of this desktop").fill("Real desk");
    await page.getByRole("radio", { name: "A relay at this URL" }).check();
    await page.getByLabel("Relay WebSocket URL").fill(relay.localUrl);
    await page.getByRole("button", { name: "Start the hub" }).click();
    await page.getByText("Relay connected").waitFor();
    expect(await hub.getStatus()).toMatchObject({
      setupDone: true,
      name: "Real desk",
      relay: { mode: "url", connected: true },
    });
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

  it("shows the sandbox in force, and how each task ran, with times and badges", async () => {
    await page.keyboard.press("Control+4");
    await page.getByTestId("sandbox-status").getByText("sandbox: bubblewrap").waitFor();
    const { task } = await phone.rpc!.call("tasks.run", { command: `ls -la ${dir}` });
    expect(task.risk).toBe("low");
    await expect.poll(async () => (await hub.getTask({ task: task.id })).state, { timeout: 15_000 }).toBe("done");
    await page
      .getByRole("list", { name: "Tasks" })
      .getByRole("button", { name: new RegExp(`^ls -la ${dir}`) })
      .click();
    const detail = page.getByRole("article", { name: `Task ls -la ${dir}` });
    await detail.getByText("sandboxed, read-only").waitFor();
    await detail.getByText("low risk").waitFor();
    expect(await detail.getByTestId("task-timing").textContent()).toMatch(/^started .+ · took \d+ (ms|s)$/);
    // The command approved earlier ran with the user's full rights, and the list says so.
    await page.getByRole("list", { name: "Tasks" }).getByText("full access").first().waitFor();
    await page.screenshot({ path: artifactPath("14-tasks-sandbox.png") });
    await page.keyboard.press("Control+7");
    await page.getByRole("heading", { name: "Sandbox" }).waitFor();
    await page.getByTestId("sandbox-status").getByText("sandbox: bubblewrap").waitFor();
  });

  it("approval dialog: folder, device, live expiry; approve for today, then forget it on the device page", async () => {
    await page.keyboard.press("Control+4");
    const target = join(dir, "today.txt");
    writeFileSync(target, "t");
    const command = `rm -f ${target}`;
    const first = (await phone.rpc!.call("tasks.run", { command, cwd: dir })).task;
    const dialog = page.getByRole("alertdialog", { name: "Approve this command?" });
    await dialog.getByLabel("Working directory").getByText(dir, { exact: true }).waitFor();
    await dialog.getByText("Pixel 9").waitFor();
    const countdown = dialog.getByTestId("approval-countdown");
    const shown = (await countdown.textContent()) ?? "";
    expect(shown).toMatch(/^in (29|30):\d\d$/);
    // It counts down while the person reads.
    await expect.poll(async () => countdown.textContent(), { timeout: 5_000 }).not.toBe(shown);
    await page.screenshot({ path: artifactPath("15-approval-today.png") });
    await dialog.getByRole("button", { name: "Approve for today" }).click();
    await expect.poll(async () => (await hub.getTask({ task: first.id })).state, { timeout: 15_000 }).toBe("done");

    // The same command, folder and device: runs at once, for the rest of the day.
    writeFileSync(target, "t");
    const again = (await phone.rpc!.call("tasks.run", { command, cwd: dir })).task;
    expect(again.state).toBe("running");
    await expect.poll(async () => (await hub.getTask({ task: again.id })).state, { timeout: 15_000 }).toBe("done");

    await page.keyboard.press("Control+2");
    const row = page.getByRole("listitem", { name: "Pixel 9" });
    await row.getByText("Approved for today (1)").click();
    await row.getByRole("list", { name: "Approved for today for Pixel 9" }).getByText(command).waitFor();
    await page.screenshot({ path: artifactPath("15b-device-remembered.png") });
    await row.getByRole("button", { name: `Forget ${command}` }).click();
    await row.getByText("Approved for today (none)").waitFor();
    const third = (await phone.rpc!.call("tasks.run", { command, cwd: dir })).task;
    expect(third.state).toBe("awaiting_approval");
    await dialog.getByRole("button", { name: "Reject" }).click();
    await expect.poll(async () => (await hub.getTask({ task: third.id })).end_reason).toBe("rejected");
  });

  it("cancels a running task from its detail pane, and says who did", async () => {
    await page.keyboard.press("Control+4");
    const { task } = await phone.rpc!.call("tasks.run", { command: "sleep 30" });
    expect(task.state).toBe("running");
    await page
      .getByRole("list", { name: "Tasks" })
      .getByRole("button", { name: /^sleep 30/ })
      .click();
    const detail = page.getByRole("article", { name: "Task sleep 30" });
    await detail
      .getByTestId("task-timing")
      .getByText(/running for/)
      .waitFor();
    await detail.getByRole("button", { name: "Cancel" }).click();
    await detail.getByTestId("end-reason").getByText("cancelled by This desktop").waitFor({ timeout: 15_000 });
    expect((await hub.getTask({ task: task.id })).end_reason).toBe("cancelled");
  });

  it("grants a folder to the phone: writable in its sandbox, refused elsewhere, escalated on request, revoked at once", async () => {
    const ws = join(dir, "ws");
    mkdirSync(ws);
    await page.keyboard.press("Control+2");
    const row = page.getByRole("listitem", { name: "Pixel 9" });
    await row.getByText("Writable folders (none)").click();
    const input = row.getByLabel("Folder to make writable for Pixel 9");
    await input.fill("/etc");
    await row.getByRole("button", { name: "Make writable" }).click();
    await row
      .getByRole("alert")
      .getByText(/system folder/)
      .waitFor();
    await input.fill(ws);
    await row.getByRole("button", { name: "Make writable" }).click();
    await row.getByRole("list", { name: "Folders Pixel 9 may change" }).getByText(ws, { exact: true }).waitFor();
    await row.getByText("Writable folders (1)").waitFor();
    await page.screenshot({ path: artifactPath("16-device-workspace.png") });

    // The desktop lets `touch` run at once for this phone; the sandbox still decides where it may write.
    await hub.setDevicePolicy({ device: phone.device, policy: { allow: ["touch"] } });
    const inside = (await phone.rpc!.call("tasks.run", { command: `touch ${ws}/inside.txt` })).task;
    await expect.poll(async () => (await hub.getTask({ task: inside.id })).state, { timeout: 15_000 }).toBe("done");
    expect(existsSync(join(ws, "inside.txt"))).toBe(true);
    expect((await hub.getTask({ task: inside.id })).sandbox).toMatchObject({ mode: "workspace" });

    const outside = join(dir, "outside.txt");
    const blocked = (await phone.rpc!.call("tasks.run", { command: `touch ${outside}` })).task;
    await expect
      .poll(async () => (await hub.getTask({ task: blocked.id })).sandbox?.blocked, { timeout: 15_000 })
      .toBe("write");
    expect(existsSync(outside)).toBe(false);
    await page.keyboard.press("Control+4");
    await page
      .getByRole("list", { name: "Tasks" })
      .getByRole("button", { name: new RegExp(`^touch ${outside}`) })
      .first()
      .click();
    const detail = page.getByRole("article", { name: `Task touch ${outside}` });
    await detail.getByText(/The sandbox stopped it/).waitFor();
    await page.screenshot({ path: artifactPath("17-task-blocked.png") });
    await detail.getByRole("button", { name: "Run without sandbox" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Approve this command?" });
    await dialog.getByLabel("Command").getByText(`touch ${outside}`, { exact: true }).waitFor();
    await dialog
      .getByRole("note")
      .getByText(/now without the sandbox/)
      .waitFor();
    await dialog.getByRole("button", { name: "Approve once" }).click();
    await expect.poll(() => existsSync(outside), { timeout: 15_000 }).toBe(true);
    await page
      .getByRole("article", { name: `Task touch ${outside}` })
      .getByText("full access")
      .waitFor();

    await page.keyboard.press("Control+2");
    await row.getByText("Writable folders (1)").click();
    await row.getByRole("button", { name: `Remove ${ws}` }).click();
    await row.getByText("Writable folders (none)").waitFor();
    const after = (await phone.rpc!.call("tasks.run", { command: `touch ${ws}/after.txt` })).task;
    await expect
      .poll(async () => (await hub.getTask({ task: after.id })).sandbox?.blocked, { timeout: 15_000 })
      .toBe("write");
    expect(existsSync(join(ws, "after.txt"))).toBe(false);
    await hub.setDevicePolicy({ device: phone.device, policy: {} });

    // The audit log says it in words: who, what, on which folder or command.
    await page.keyboard.press("Control+6");
    const table = page.getByRole("table");
    await table.getByText(`let Pixel 9 change files in ${ws}`).waitFor();
    await table.getByText(`took back Pixel 9's write access to ${ws}`).waitFor();
    await table.getByRole("row").filter({ hasText: "approved" }).getByText(`touch ${outside}`).first().waitFor();
    await page.screenshot({ path: artifactPath("18-audit-words.png") });
  }, 60_000);

  it("a terminal from the phone: warned on the device page, asked for with the full-access warning", async () => {
    await page.keyboard.press("Control+2");
    const row = page.getByRole("listitem", { name: "Pixel 9" });
    await row.getByText(/A terminal gives full access to this desktop/).waitFor();
    // The toggle shows the hub's state: a click flips it once the hub answered.
    const terminals = row.getByRole("checkbox", { name: "Terminals" });
    const caps = async () => (await hub.listDevices()).find((d) => d.name === "Pixel 9")?.caps ?? [];
    await terminals.click();
    await expect.poll(caps).toContain("terminal");
    const opened = await phone.rpc!.call("term.open", { cols: 80, rows: 24 });
    expect(opened.state).toBe("awaiting_approval");
    const dialog = page.getByRole("alertdialog", { name: "Open a terminal for this device?" });
    await dialog
      .getByRole("note")
      .getByText(/the risk policy and the sandbox do not apply/)
      .waitFor();
    expect(await dialog.getByRole("button", { name: "Approve for today" }).count()).toBe(0);
    await page.screenshot({ path: artifactPath("19-terminal-approval.png") });
    await dialog.getByRole("button", { name: "Reject" }).click();
    await expect.poll(async () => (await hub.getTask({ task: opened.task!.id })).state).toBe("rejected");
    await terminals.click();
    await expect.poll(caps).not.toContain("terminal");
  });

  it("shows where the phone opens the app on the pairing page", async () => {
    await page.keyboard.press("Control+1");
    expect(await page.getByTestId("phone-app-url").textContent()).toBe(
      relay.localUrl.replace(/^ws/, "http").replace(/\/v\d+\/gateway$/, "/app/"),
    );
  });

  it("previews a command's risk while it is typed: runs at once, asks, or forbidden, with the reasons", async () => {
    await page.keyboard.press("Control+4");
    const input = page.getByLabel("Run a command on this desktop");
    const preview = page.getByTestId("risk-preview");
    await input.fill("ls -la");
    await expect.poll(() => preview.textContent()).toMatch(/^runs at once · ls lists files/);
    await input.fill("git push");
    await expect.poll(() => preview.textContent()).toMatch(/^will ask for approval · .*network/);
    await input.fill("rm -rf ~");
    await expect
      .poll(() => preview.textContent())
      .toMatch(/^forbidden: it will never run · rm -r on ~ wipes your home directory/);
    await input.fill("");
    await preview.waitFor({ state: "detached" });
  });

  it("shows a desktop command's output while it still runs", async () => {
    await page.keyboard.press("Control+4");
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
    const search = page.getByRole("searchbox", { name: "Search messages" });
    // The shortcut puts the cursor in the box.
    await expect.poll(() => page.evaluate(`document.activeElement?.id === "message-search"`)).toBe(true);
    await search.fill("quarterly");
    const results = page.getByRole("list", { name: "Search results" });
    await results.getByText("remember the quarterly figures").waitFor();
    expect(await results.getByRole("listitem").count()).toBe(1);
    await results.getByText("Pixel 9").waitFor();
    await page.screenshot({ path: artifactPath("05-search.png") });
    await search.press("Escape");
    await page.getByRole("list", { name: "Messages" }).getByText("lunch at noon").waitFor();
  });

  it("changes settings through the hub", async () => {
    await page.keyboard.press("Control+7");
    const who = page.getByLabel("Who approves high-risk commands");
    await who.selectOption("both");
    await expect.poll(async () => (await hub.getSettings()).approvals).toBe("both");
    // Back to the desktop alone, which the tests after this one rely on.
    await who.selectOption("desktop");
    await expect.poll(async () => (await hub.getSettings()).approvals).toBe("desktop");
  });

  it("shows a phone's notifications on its device page and turns a kind off for it", async () => {
    await page.keyboard.press("Control+2");
    const row = page.getByRole("listitem", { name: "Pixel 9" });
    await row.getByText("Notifications", { exact: true }).click();
    const push = row.getByRole("region", { name: "Notifications for Pixel 9" });
    await push
      .getByTestId("push-status")
      .getByText(/has not turned notifications on/)
      .waitFor();
    const device = (await hub.listDevices()).find((d) => d.name === "Pixel 9")!.id;
    const messages = push.getByRole("checkbox", { name: "A new message" });
    await messages.click();
    await expect
      .poll(async () => (await hub.getPushSettings({ device })).events)
      .toEqual({ approval: true, task: true, message: false });
    await expect.poll(() => messages.isChecked()).toBe(false);
    await page.screenshot({ path: artifactPath("16b-device-notifications.png") });
    await messages.click();
    await expect.poll(async () => (await hub.getPushSettings({ device })).events.message).toBe(true);
    await row.getByText("Notifications", { exact: true }).click();
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

  it("revokes the phone after confirmation, and its writable folders with it", async () => {
    const device = (await hub.listDevices()).find((d) => d.name === "Pixel 9")!.id;
    await hub.grantWorkspace({ device, path: join(dir, "ws") });
    await page.keyboard.press("Control+2");
    const confirm = page.getByRole("alertdialog", { name: "Revoke Pixel 9?" });
    // Cancel keeps the device.
    await page.getByRole("button", { name: "Revoke Pixel 9" }).click();
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "detached" });
    expect(await hub.listDevices()).toHaveLength(1);
    await page.getByRole("button", { name: "Revoke Pixel 9" }).click();
    await confirm.getByRole("button", { name: "Revoke" }).click();
    await page.getByText("No paired devices yet.").waitFor();
    expect(await hub.listDevices()).toEqual([]);
    await expect.poll(() => hub.listWorkspaceGrants({})).toEqual([]);
  });

  it("shows the audit log in words, the help overlay and the dark theme", async () => {
    await page.keyboard.press("Control+6");
    const table = page.getByRole("table");
    // Each row says what happened in words; the action's name is in its title.
    await table.locator('tr[title^="device.revoked"]').first().waitFor();
    await table
      .locator('tr[title^="task.rejected"]')
      .first()
      .getByText(/rejected/)
      .waitFor();
    await page.locator("body").press("?");
    await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor({ state: "detached" });
    await page.emulateMedia({ colorScheme: "light" });
    await page.keyboard.press("Control+Shift+L");
    await expect.poll(() => page.evaluate("document.documentElement.dataset.theme")).toBe("dark");
    await page.getByRole("button", { name: "Use light theme" }).click();
    await expect.poll(() => page.evaluate("document.documentElement.dataset.theme")).toBe("light");
    await page.getByRole("button", { name: "Use dark theme" }).click();
    await expect.poll(() => page.evaluate("getComputedStyle(document.body).backgroundColor")).toBe("rgb(22, 22, 26)");
    await page.screenshot({ path: artifactPath("06-audit-dark.png") });
  });

  it("refuses the bridge to a page of another origin, even with the right token", async () => {
    // A second loopback server plays "some other web page" the person visits.
    const evil = createServer((_req, res) =>
      res.writeHead(200, { "Content-Type": "text/html" }).end("<title>other</title>"),
    );
    await new Promise<void>((r) => evil.listen(0, "127.0.0.1", () => r()));
    const port = (evil.address() as AddressInfo).port;
    const other = await browser.newPage();
    try {
      await other.goto(`http://127.0.0.1:${port}/`);
      const outcome = await other.evaluate(
        `new Promise((resolve) => {
          const ws = new WebSocket(${JSON.stringify(`ws://127.0.0.1:${server.port}/bridge`)});
          ws.onopen = () => { ws.send(JSON.stringify({ type: "auth", token: ${JSON.stringify(server.token)} })); };
          ws.onmessage = (e) => resolve("got " + e.data);
          ws.onclose = (e) => resolve("closed " + e.code);
        })`,
      );
      expect(outcome).toBe("closed 1006");
    } finally {
      await other.close();
      await new Promise((r) => evil.close(r));
    }
  });

  it("tells the person when the token is wrong", async () => {
    const other = await browser.newPage();
    try {
      await other.goto(`${server.origin}/#token=wrong`);
      await other.getByRole("alert").getByText("bad session token (code 4401)").waitFor();
    } finally {
      await other.close();
    }
  });
});

describe("desktop UI with a hub that has no sandbox", () => {
  it("warns that every command asks, on Tasks and in Settings; offline, the approval dialog cannot be answered", async () => {
    const noSandbox = await HubNode.start({
      dataDir: join(dir, "hub-no-sandbox"),
      name: "Bare desk",
      relay: relay.localUrl,
      approvals: "desktop",
      log,
      executor: { defaultCwd: dir, terminalShell: TEST_SHELL },
      sandbox: { kind: "none", available: false, reason: "bubblewrap is not installed (apt-get install bubblewrap)." },
    });
    const bare = await startBridgeServer({ api: noSandbox, webRoot, log });
    const tab = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    let closed = false;
    try {
      tab.setDefaultTimeout(10_000);
      await tab.goto(bare.url);
      await tab.getByText("Relay connected").waitFor();
      await tab.keyboard.press("Control+4");
      const warning = tab.getByRole("alert").filter({ hasText: "No sandbox: every command asks for approval." });
      await warning.getByText(/bubblewrap is not installed/).waitFor();
      await tab.screenshot({ path: artifactPath("20-no-sandbox.png") });
      await tab.keyboard.press("Control+7");
      await tab.getByRole("alert").filter({ hasText: "No sandbox: every command asks for approval." }).waitFor();

      // Offline, an answer cannot be sent: the dialog says so and its buttons are off, instead of failing later.
      await noSandbox.runTask({ command: `rm -f ${join(dir, "nothing-here")}` });
      const dialog = tab.getByRole("alertdialog", { name: "Approve this command?" });
      await dialog.waitFor();
      await bare.close();
      closed = true;
      await dialog
        .getByRole("status")
        .getByText(/Not connected to the hub/)
        .waitFor();
      for (const name of ["Reject", "Approve once", "Approve for today"])
        expect(await dialog.getByRole("button", { name }).isDisabled()).toBe(true);
      await tab.screenshot({ path: artifactPath("21-approval-offline.png") });
    } finally {
      await tab.close();
      if (!closed) await bare.close();
      await noSandbox.stop();
    }
  }, 90_000);
});
