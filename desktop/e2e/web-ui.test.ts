import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridgeServer, type BridgeServer } from "../src/hub/bridge/bridge-server";
import { artifactPath } from "./artifacts";
import { launchChromium } from "../../test-support/chromium";
import { buildWebUi } from "./build-web";
import { MemoryHub } from "./memory-hub";

/**
 * The renderer end to end in real Chromium through web mode, against the
 * in-memory HubApi (the real hub core is tested in hub-ui.test.ts). The tests
 * run in order on one page, as a person would use the app.
 */
let browser: Browser;
let server: BridgeServer;
let hub: MemoryHub;
let page: Page;
let phone = "";

beforeAll(async () => {
  const webRoot = await buildWebUi();
  hub = new MemoryHub();
  server = await startBridgeServer({ api: hub, webRoot, log: pino({ level: "silent" }) });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  // Fail a step in seconds with a useful locator message, not at the test timeout.
  page.setDefaultTimeout(5_000);
  await page.goto(server.url);
}, 120_000);

/** Evaluates an expression in the page (a string: this tsconfig has no DOM types). */
function inPage(expression: string): Promise<unknown> {
  return page.evaluate(expression);
}

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("desktop UI in web mode", () => {
  it("removes the token from the address bar and runs first-run setup", async () => {
    await page.getByRole("heading", { name: "Welcome to Neural Link" }).waitFor();
    expect(page.url()).not.toContain("token");
    await page.screenshot({ path: artifactPath("01-setup.png") });
    await page.getByLabel("Name of this desktop").fill("Studio desk");
    await page.getByRole("button", { name: "Start the hub" }).click();
    await page.getByRole("navigation", { name: "Sections" }).getByText("Studio desk").waitFor();
    expect((await hub.getStatus()).setupDone).toBe(true);
    await expect.poll(() => page.getByText("Relay connected").count()).toBe(1);
  });

  it("shows the pairing QR code and confirms a phone by its SAS", async () => {
    await page.keyboard.press("Control+1");
    await page.getByRole("button", { name: "Show pairing code" }).click();
    await page.getByTestId("qr").locator("svg").waitFor();
    const uri = await page.getByLabel("Pairing link (to type or paste on the phone)").inputValue();
    expect(uri).toMatch(/^nlink:\/\/pair\?v=1&/);
    expect(await page.getByTestId("countdown").textContent()).toMatch(/Valid for [45]:\d\d/);
    await page.screenshot({ path: artifactPath("02-pairing-qr.png") });

    phone = hub.simulatePairRequest("Pixel 9", "042917");
    const dialog = page.getByRole("dialog", { name: "Pair this phone?" });
    await dialog.waitFor();
    expect(await dialog.getByTestId("sas").textContent()).toBe("042 917");
    await dialog.getByText("Pixel 9").waitFor();
    // The safe answer has the focus first.
    expect(await inPage("document.activeElement?.textContent")).toBe("Reject");
    await page.screenshot({ path: artifactPath("03-sas-dialog.png") });
    await dialog.getByRole("button", { name: "Accept" }).click();
    await page.getByText("Paired with Pixel 9.").waitFor();
    expect((await hub.listDevices()).map((d) => d.name)).toEqual(["Pixel 9"]);
  });

  it("approves one high-risk command and rejects another", async () => {
    await page.keyboard.press("Control+4");
    await hub.runTask({ command: "rm -rf ./build" }, phone);
    const dialog = page.getByRole("alertdialog", { name: "Approve this command?" });
    await dialog.waitFor();
    expect(await dialog.getByLabel("Command").textContent()).toBe("rm -rf ./build");
    await dialog.getByText("Pixel 9").waitFor();
    await dialog.getByText("deletes files or gains privileges").waitFor();
    await page.screenshot({ path: artifactPath("04-approval.png") });
    await dialog.getByRole("button", { name: "Approve once" }).click();
    await expect.poll(async () => (await hub.listTasks({}))[0]?.state).toBe("done");
    await page.getByTestId("task-output").getByText("ran: rm -rf ./build").waitFor();

    const second = await hub.runTask({ command: "sudo reboot" }, phone);
    await dialog.getByLabel("Command").getByText("sudo reboot").waitFor();
    await dialog.getByRole("button", { name: "Reject" }).click();
    await expect.poll(async () => (await hub.getTask({ task: second.id })).state).toBe("rejected");
    await page.getByRole("list", { name: "Tasks" }).getByText("rejected").waitFor();
  });

  it("runs a command typed on the desktop", async () => {
    await page.getByLabel("Run a command on this desktop").fill("echo hi");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await page.getByTestId("task-output").getByText("ran: echo hi").waitFor();
  });

  it("finds messages with Ctrl+K search", async () => {
    await hub.sendMessage({ text: "buy oat milk" }, phone);
    await hub.sendMessage({ text: "the build is green" }, phone);
    await page.keyboard.press("Control+k");
    const search = page.getByRole("searchbox", { name: "Search messages" });
    await expect.poll(() => inPage(`document.activeElement?.id === "message-search"`)).toBe(true);
    await search.fill("oat");
    const results = page.getByRole("list", { name: "Search results" });
    await results.getByText("buy oat milk").waitFor();
    expect(await results.getByRole("listitem").count()).toBe(1);
    await page.screenshot({ path: artifactPath("05-search.png") });
    await search.press("Escape");
    await page.getByRole("list", { name: "Messages" }).getByText("the build is green").waitFor();
  });

  it("sets what a device may do and its risk overrides", async () => {
    await page.keyboard.press("Control+2");
    const row = page.getByRole("listitem", { name: "Pixel 9" });
    const approve = row.getByRole("checkbox", { name: "Approve high-risk tasks" });
    expect(await approve.isChecked()).toBe(true);
    // The toggles show the hub's state, so a click flips one only once the hub answered.
    await approve.click();
    await expect.poll(async () => (await hub.listDevices())[0]?.caps).toEqual(["chat", "tasks", "doc"]);
    await expect.poll(() => approve.isChecked()).toBe(false);
    await row.getByText("Risk overrides (none)").click();
    const form = row.getByRole("form", { name: "Risk overrides for Pixel 9" });
    await form.getByText("Built-in forbidden rules").waitFor();
    const save = form.getByRole("button", { name: "Save risk overrides" });
    expect(await save.isDisabled()).toBe(true);
    await form.getByLabel("Always ask first").fill("git push\n\n  make  \n");
    await form.getByLabel("Never run").fill("docker");
    await save.click();
    await expect.poll(async () => (await hub.listDevices())[0]?.policy).toEqual({ high: ["git push", "make"], forbid: ["docker"] });
    await row.getByText("Risk overrides (3)").waitFor();
    expect(await form.getByLabel("Always ask first").inputValue()).toBe("git push\nmake");
    expect(await save.isDisabled()).toBe(true);
    await page.screenshot({ path: artifactPath("07-device-policy.png") });
  });

  it("revokes a device only after confirmation", async () => {
    await page.keyboard.press("Control+2");
    await page.getByRole("button", { name: "Revoke Pixel 9" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Revoke Pixel 9?" });
    await confirm.getByRole("button", { name: "Cancel" }).click();
    expect(await hub.listDevices()).toHaveLength(1);
    await page.getByRole("button", { name: "Revoke Pixel 9" }).click();
    await confirm.getByRole("button", { name: "Revoke" }).click();
    await page.getByText("No paired devices yet.").waitFor();
    expect(await hub.listDevices()).toHaveLength(0);
  });

  it("shows the audit log, the help overlay and the dark theme", async () => {
    await page.keyboard.press("Control+6");
    const table = page.getByRole("table");
    await table.getByText("device.revoked").waitFor();
    await table.getByText("task.rejected").waitFor();
    await page.locator("body").press("?");
    await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor({ state: "detached" });
    await page.emulateMedia({ colorScheme: "light" });
    await page.keyboard.press("Control+Shift+L");
    await expect.poll(() => inPage("document.documentElement.dataset.theme")).toBe("dark");
    await page.getByRole("button", { name: "Use light theme" }).click();
    await expect.poll(() => inPage("document.documentElement.dataset.theme")).toBe("light");
    await page.getByRole("button", { name: "Use dark theme" }).click();
    await expect.poll(() => inPage("getComputedStyle(document.body).backgroundColor")).toBe("rgb(22, 22, 26)");
    await page.screenshot({ path: artifactPath("06-audit-dark.png") });
  });

  it("changes settings through the hub", async () => {
    await page.keyboard.press("Control+7");
    await page.getByLabel("Who approves high-risk commands").selectOption("phone");
    await expect.poll(async () => (await hub.getSettings()).approvals).toBe("phone");
  });

  it("edits the shared notes with mod+8, kept in the hub's document, and shows the hub's edits", async () => {
    await page.keyboard.press("Control+8");
    await page.locator('[data-testid="notes-pad-status"][data-synced="true"]').waitFor();
    await page.getByTestId("notes-pad-editors").getByText("Studio desk (you)").waitFor();
    await page.getByTestId("notes-pad-textarea").click();
    await page.keyboard.type("draft agenda");
    await expect.poll(() => hub.notes.getText("notes").toString()).toBe("draft agenda");
    // An edit on the hub's side (as a phone's would arrive) reaches the page.
    hub.notes.getText("notes").insert(0, "Monday: ");
    await expect.poll(() => page.getByTestId("notes-pad-textarea").inputValue()).toBe("Monday: draft agenda");
  });

  it("refuses the bridge to a page of another origin, even with the right token", async () => {
    // A second loopback server plays "some other web page" the person visits.
    const evil = createServer((_req, res) => res.writeHead(200, { "Content-Type": "text/html" }).end("<title>other</title>"));
    await new Promise<void>((r) => evil.listen(0, "127.0.0.1", () => r()));
    const port = (evil.address() as AddressInfo).port;
    const other = await browser.newPage();
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
    await other.close();
    await new Promise((r) => evil.close(r));
  });

  it("tells the person when the token is wrong", async () => {
    const other = await browser.newPage();
    await other.goto(`${server.origin}/#token=wrong`);
    await other.getByRole("alert").getByText("bad session token (code 4401)").waitFor();
    await other.close();
  });
});
