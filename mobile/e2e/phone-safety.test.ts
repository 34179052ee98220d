import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RelayHandle, startRelay } from "@neural-link/relay";
import { HubNode } from "../../desktop/src/hub/hub-node";
import { ensureAppBuilt } from "./build-app";
import { PHONE_VIEWPORT_LARGE } from "./chromium";
import { pairPhoneByCamera } from "./pair-phone";
import type { PhonePage } from "./phone-page";

/**
 * Issue 10 and 11 on the phone, through the real thing: the app in Chromium
 * (390x844, touch) served by a real relay, paired by camera with a real
 * HubNode (SQLite file, pty). Steps depend on the ones before, as a person's would.
 * Screenshots go to artifacts/mobile/safety-*.png.
 */
describe("phone: approvals, cancel, terminals and restarts", () => {
  const work = mkdtempSync(join(tmpdir(), "nlink-phone-safety-"));
  const logger = pino({ level: "silent" });
  const hubOptions = () => ({
    dataDir: join(work, "hub"),
    relay: relay.url,
    name: "Safety Desktop",
    approvals: "phone" as const,
    log: logger,
    executor: { terminalShell: "/bin/sh", defaultCwd: work },
  });
  let relay: RelayHandle;
  let hub: HubNode;
  let browser: Browser;
  let phone: PhonePage;
  let appDir: string;

  beforeAll(async () => {
    appDir = await ensureAppBuilt();
    relay = await startRelay({ port: 0, db: join(work, "relay-db"), appDir, logger });
    hub = await HubNode.start(hubOptions());
    await hub.whenOnline();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await relay?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("pairs at 390x844 by camera; the desktop allows terminals", async () => {
    ({ browser, phone } = await pairPhoneByCamera({
      hub,
      relayPort: relay.port,
      work,
      desktopName: "Safety Desktop",
      viewport: PHONE_VIEWPORT_LARGE,
    }));
    const [device] = await hub.listDevices();
    await hub.setDeviceCaps({ device: device!.id, caps: ["chat", "tasks", "approve", "terminal", "doc"] });
  }, 60_000);

  it("shows the sandbox in force, and an approval card with folder, asker, reasons and a live expiry", async () => {
    await phone.tab("Tasks").click();
    const note = phone.page.getByTestId("sandbox-note");
    await note.waitFor({ timeout: 15_000 });
    if (hub.sandboxStatus().available) expect(await note.textContent()).toMatch(/Sandbox: /);
    else expect(await note.textContent()).toContain("every command asks for approval");
    // Writes a file: high risk, so it waits for approval (a read-only command would run at once in the sandbox).
    await phone.runCommand("sleep 120 && touch ./slept", work);
    const card = phone.task("sleep 120 && touch ./slept");
    const approve = card.getByRole("button", { name: "Approve once" });
    await approve.waitFor({ timeout: 15_000 });
    const text = (await card.textContent()) ?? "";
    expect(text).toContain(work);
    expect(text).toContain("Asked bythis phone");
    await expect.poll(() => card.getByTestId("approval-expiry").textContent()).toMatch(/^Expires in (29:\d\d|30:00)$/);
    expect(await card.getByRole("button", { name: "Approve for today" }).isEnabled()).toBe(true);
    await phone.shot("safety-01-approval-card");
  }, 60_000);

  it("previews a command's risk while it is typed, with the hub's own classifier", async () => {
    const input = phone.page.getByPlaceholder("Command to run on the desktop");
    const preview = phone.page.getByTestId("risk-preview");
    await input.fill("rm -rf ~");
    await expect.poll(() => preview.textContent()).toMatch(/^forbidden: it will never run.*home directory/);
    await input.fill("git push");
    await expect.poll(() => preview.textContent()).toMatch(/^will ask for approval.*network/);
    await input.fill("ls -la");
    const low = hub.sandboxStatus().available
      ? /^runs in the sandbox/
      : /^will ask for approval.*no sandbox on the desktop/;
    await expect.poll(() => preview.textContent()).toMatch(low);
    await phone.shot("safety-01b-risk-preview");
    await input.fill("");
    await preview.waitFor({ state: "detached" });
  }, 30_000);

  it("approves, shows start time and duration, and cancels the running task: 'Stopped by you'", async () => {
    const card = phone.task("sleep 120 && touch ./slept");
    await card.getByRole("button", { name: "Approve once" }).click();
    await expect.poll(() => card.getAttribute("data-state"), { timeout: 15_000 }).toBe("running");
    await expect
      .poll(() => card.locator(".task-where").textContent(), { timeout: 15_000 })
      .toMatch(/started .* · running for \d+ s/);
    await phone.shot("safety-02-running");
    await card.getByRole("button", { name: "Cancel", exact: true }).click();
    await expect.poll(() => card.getAttribute("data-state"), { timeout: 20_000 }).toBe("failed");
    expect(await card.getAttribute("data-end-reason")).toBe("cancelled");
    expect(await card.locator(".task-state").textContent()).toBe("Stopped by you");
    expect(await card.locator(".task-where").textContent()).toMatch(/ran \d+ s/);
    await phone.shot("safety-03-cancelled");
  }, 60_000);

  it("while offline, Approve and Reject are disabled with the reason, and the status is in plain words", async () => {
    await phone.runCommand("rm -rf ./nothing-here");
    const card = phone.task("rm -rf ./nothing-here");
    await card.getByRole("button", { name: "Reject" }).waitFor({ timeout: 15_000 });
    const port = relay.port;
    await relay.close();
    await phone.waitStatus(/Offline/);
    const status = (await phone.page.locator("header.status-bar").textContent()) ?? "";
    expect(status).not.toMatch(/closed with \d+/);
    expect(await card.getByRole("button", { name: "Reject" }).isDisabled()).toBe(true);
    expect(await card.getByRole("button", { name: "Approve once" }).isDisabled()).toBe(true);
    expect(await card.locator(".blocker").textContent()).toMatch(/Offline|Connecting/);
    expect(await phone.page.getByRole("button", { name: "Run", exact: true }).isDisabled()).toBe(true);
    await phone.shot("safety-04-offline");
    relay = await startRelay({ port, db: join(work, "relay-db"), appDir, logger });
    await phone.waitStatus(/Connected to relay · Desktop online/);
    await card.getByRole("button", { name: "Reject" }).click();
    await expect.poll(() => card.locator(".task-state").textContent(), { timeout: 15_000 }).toBe("Rejected by you");
  }, 90_000);

  it("says when only the desktop can approve, and who rejected", async () => {
    await hub.updateSettings({ approvals: "desktop" });
    await phone.runCommand("touch ./made-by-phone");
    const card = phone.task("touch ./made-by-phone");
    await card.getByText("Waiting for approval on the desktop").waitFor({ timeout: 15_000 });
    expect(await card.getByRole("button", { name: "Approve once" }).count()).toBe(0);
    await phone.shot("safety-05-desktop-approves");
    const task = (await hub.listTasks({ limit: 10 })).find((t) => t.command === "touch ./made-by-phone")!;
    await hub.approveTask({ task: task.id, approve: false });
    await expect
      .poll(() => card.locator(".task-state").textContent(), { timeout: 15_000 })
      .toBe("Rejected by the desktop");
    await hub.updateSettings({ approvals: "phone" });
  }, 60_000);

  it("a task the sandbox stopped offers 'Run without sandbox', which asks for approval as a new task", async () => {
    // A read-only command whose output is what a write refused by the read-only sandbox prints:
    // the hub reads "blocked" from exit code and output (sandbox/failure.ts), which is all the phone relies on.
    const command = `echo "touch: cannot touch './x': Read-only file system"; false`;
    await phone.runCommand(command);
    const first = phone.task(command).first();
    await expect.poll(() => first.getAttribute("data-state"), { timeout: 20_000 }).toBe("failed");
    expect(await first.locator(".sandbox-blocked").textContent()).toMatch(/tried to change a file/);
    await phone.shot("safety-05b-blocked");
    await first.getByRole("button", { name: "Run without sandbox" }).click();
    await expect.poll(() => phone.task(command).count(), { timeout: 15_000 }).toBe(2);
    const again = phone.task(command).first();
    await again.getByRole("button", { name: "Approve once" }).waitFor({ timeout: 15_000 });
    expect(await again.textContent()).toContain("High risk");
    await phone.shot("safety-05c-escalated");
    await again.getByRole("button", { name: "Reject" }).click();
    await expect.poll(() => again.getAttribute("data-state"), { timeout: 15_000 }).toBe("rejected");
  }, 60_000);

  it("a new shell waits for approval, says a terminal is full access, and opens once approved", async () => {
    await phone.tab("Terminal").click();
    await phone.page.getByText("No shell open").waitFor({ timeout: 15_000 });
    expect(await phone.page.locator(".terminal-note").textContent()).toContain("full access");
    await phone.shot("safety-06-no-shell");
    await phone.newShell();
    const request = phone.page.getByTestId("terminal-request");
    await request.waitFor({ timeout: 15_000 });
    expect(await request.textContent()).toContain("full access");
    await phone.shot("safety-07-shell-approval");
    await request.getByRole("button", { name: "Approve once" }).click();
    await phone.page.getByText("Terminal open").waitFor({ timeout: 15_000 });
    await phone.typeInTerminal("echo shell-$((6*7))\r");
    await expect.poll(() => phone.terminalText(), { timeout: 15_000 }).toContain("shell-42");
  }, 60_000);

  it("reloading the app reattaches to the same shell instead of leaking a new one", async () => {
    const before = await hub.listTerminals();
    await phone.page.reload();
    await phone.tab("Terminal").click();
    await phone.page.getByText("Terminal open").waitFor({ timeout: 15_000 });
    await expect.poll(() => phone.terminalText(), { timeout: 15_000 }).toContain("shell-42");
    expect((await hub.listTerminals()).map((t) => t.id)).toEqual(before.map((t) => t.id));
    expect(
      await phone.page
        .getByRole("navigation", { name: "Your shells on the desktop" })
        .locator("li.terminal-tab")
        .count(),
    ).toBe(1);
    await phone.shot("safety-08-reattached");
  }, 60_000);

  it("in landscape (844x390) the extra keys sit above the tab bar, and 'New shell' is not squeezed", async () => {
    await phone.page.setViewportSize({ width: 844, height: 390 });
    const keys = await phone.page.getByRole("toolbar", { name: "Extra keys" }).boundingBox();
    const tabs = await phone.page.getByRole("navigation", { name: "Sections" }).boundingBox();
    expect(keys && tabs && keys.y + keys.height <= tabs.y + 1).toBe(true);
    await phone.shot("safety-09-landscape");
    await phone.page.getByRole("button", { name: "Close shell 1" }).click();
    const newShell = phone.page.getByRole("button", { name: "New shell" });
    await newShell.waitFor({ timeout: 15_000 });
    expect((await newShell.boundingBox())!.width).toBeGreaterThan(60);
    await phone.shot("safety-10-landscape-closed");
    await phone.page.setViewportSize(PHONE_VIEWPORT_LARGE);
  }, 60_000);

  it("after a hub restart: the shell is 'gone' in plain words, and a task the stop interrupted is not a rejection", async () => {
    await phone.newShell();
    await phone.page.getByTestId("terminal-request").getByRole("button", { name: "Approve once" }).click();
    await phone.page.getByText("Terminal open").waitFor({ timeout: 15_000 });
    await phone.runCommand("sleep 300 && touch ./after");
    const card = phone.task("sleep 300 && touch ./after");
    await card.getByRole("button", { name: "Approve once" }).click({ timeout: 15_000 });
    await expect.poll(() => card.getAttribute("data-state"), { timeout: 15_000 }).toBe("running");
    await phone.tab("Terminal").click();
    await phone.page.getByText("Terminal open").waitFor({ timeout: 15_000 });
    await hub.stop();
    hub = await HubNode.start(hubOptions());
    await hub.whenOnline();
    await phone.page.getByText("This shell is gone").waitFor({ timeout: 20_000 });
    expect(await phone.page.locator(".terminal-screen").textContent()).not.toMatch(/Not found|no terminal/);
    await phone.page.getByRole("button", { name: "New shell" }).waitFor();
    await phone.shot("safety-11-shell-gone");
    await phone.tab("Tasks").click();
    await expect
      .poll(() => card.locator(".task-state").textContent(), { timeout: 20_000 })
      .toBe("Interrupted: the desktop hub stopped");
    await phone.shot("safety-12-interrupted");
    expect(phone.unexpectedErrors()).toEqual([]);
  }, 90_000);
});
