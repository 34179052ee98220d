import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RelayHandle, startRelay } from "@neural-link/relay";
import { HubNode } from "../../desktop/src/hub/hub-node";
import { ensureAppBuilt } from "./build-app";
import { hubNotesPad, pairPhoneByCamera } from "./pair-phone";
import type { PhonePage } from "./phone-page";
import { MOBILE_SETTINGS } from "../src/settings";

/**
 * The whole product: the phone app in real Chromium, served by the real
 * relay, paired by camera with a real headless hub (SQLite store, pty
 * executor, risk policy). One phone walks through every screen in order,
 * as a person would; each step depends on the one before.
 */
describe("phone app, relay and headless hub", () => {
  const work = mkdtempSync(join(tmpdir(), "nlink-phone-hub-"));
  const dbDir = join(work, "relay-db");
  const logger = pino({ level: "silent" });
  let relay: RelayHandle;
  let hub: HubNode;
  let browser: Browser;
  let phone: PhonePage;
  let appDir: string;

  beforeAll(async () => {
    appDir = await ensureAppBuilt();
    relay = await startRelay({ port: 0, db: dbDir, appDir, logger });
    // Terminals run /bin/sh, not $SHELL: the machine's rc files (a stale pyenv lock) can hang an interactive bash.
    hub = await HubNode.start({
      dataDir: join(work, "hub"),
      relay: relay.url,
      name: "E2E Desktop",
      approvals: "phone",
      log: logger,
      executor: { terminalShell: "/bin/sh" },
    });
    await hub.whenOnline();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await relay?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("pairs by scanning the hub's QR code with the camera; both show the same SAS", async () => {
    ({ browser, phone } = await pairPhoneByCamera({
      hub,
      relayPort: relay.port,
      work,
      desktopName: "E2E Desktop",
      shots: true,
    }));
    await phone.shot("03-paired");
  }, 60_000);

  it("without the terminal capability, the Terminal screen says so once; the desktop's user then allows it", async () => {
    await phone.tab("Terminal").click();
    await phone.page.getByRole("button", { name: "New shell" }).click();
    const refusal = phone.page.getByText(/Terminals are off for this phone/);
    await refusal.first().waitFor({ timeout: 15_000 });
    await phone.shot("03b-terminal-not-allowed");
    expect(await refusal.count()).toBe(1);
    // The terminal is not a default phone capability: the desktop's user allows it.
    const [device] = await hub.listDevices();
    await hub.setDeviceCaps({ device: device!.id, caps: ["chat", "tasks", "approve", "terminal", "doc"] });
    await phone.tab("Chat").click();
  }, 60_000);

  it("chats with the hub: sends, receives the desktop's message live, searches", async () => {
    await phone.sendMessage("hello hub from the phone");
    await hub.sendMessage({ text: "hello phone from the desktop" });
    await phone.page
      .getByRole("list", { name: "Messages" })
      .getByText("hello phone from the desktop")
      .waitFor({ timeout: 15_000 });
    expect(await phone.search("phone")).toEqual(
      expect.arrayContaining(["hello phone from the desktop", "hello hub from the phone"]),
    );
    await phone.shot("05-chat-search");
    await phone.page.getByRole("button", { name: "Clear" }).click();
    await phone.shot("04-chat");
  }, 60_000);

  it("edits the shared notes pad with the desktop, both ways", async () => {
    const pad = hubNotesPad(hub);
    await phone.tab("Notes").click();
    const area = phone.page.getByTestId("notes-pad-textarea");
    await area.waitFor({ timeout: 15_000 });
    await area.fill("typed on the phone");
    await expect.poll(() => pad.text(), { timeout: 15_000 }).toBe("typed on the phone");
    pad.setText("typed on the phone, edited on the desktop");
    await expect.poll(() => area.inputValue(), { timeout: 15_000 }).toBe("typed on the phone, edited on the desktop");
    await phone.shot("05b-notes");
  }, 60_000);

  it("runs a low-risk command on the hub's pty and shows its output", async () => {
    await phone.runCommand("echo hello-from-pty");
    const card = phone.task("echo hello-from-pty");
    if (!hub.sandboxStatus().available) {
      // Without an OS sandbox nothing runs unasked (docs/risk-policy.md): the phone approves it.
      await card.getByRole("button", { name: "Approve once" }).click({ timeout: 15_000 });
    }
    await expect.poll(() => card.getAttribute("data-state"), { timeout: 15_000 }).toBe("done");
    await expect.poll(() => card.getByLabel("Output").textContent()).toContain("hello-from-pty");
    if (hub.sandboxStatus().available) expect(await card.textContent()).toContain("Sandboxed (read-only)");
  }, 60_000);

  it("holds a high-risk command for approval, shows it exactly, and runs it once approved", async () => {
    const scratch = join(work, "scratch");
    mkdirSync(scratch);
    const command = `rm -rf ${scratch}`;
    await phone.runCommand(command);
    const card = phone.task(command);
    await card.getByRole("button", { name: "Approve once" }).waitFor({ timeout: 15_000 });
    expect(await card.locator(".exact-command").textContent()).toBe(command);
    expect(existsSync(scratch)).toBe(true);
    await phone.shot("06-task-approval");
    await card.getByRole("button", { name: "Approve once" }).click();
    await expect.poll(() => card.getAttribute("data-state"), { timeout: 15_000 }).toBe("done");
    expect(existsSync(scratch)).toBe(false);
    await phone.shot("07-tasks");
  }, 60_000);

  it("drives a real shell: typing a command shows its echo and output", async () => {
    // A terminal is full access: it opens once approved (here the phone approves, approvals "phone").
    await phone.newShell();
    // The phone turns while the request waits: the screen is narrower than when the shell was asked for.
    const size = phone.page.viewportSize()!;
    await phone.page.setViewportSize({ width: size.width - 40, height: size.height });
    await phone.page.waitForTimeout(MOBILE_SETTINGS.terminalResizeDebounceMs * 3);
    await phone.page.getByTestId("terminal-request").getByRole("button", { name: "Approve once" }).click();
    await phone.page.getByText("Terminal open").waitFor({ timeout: 15_000 });
    await phone.typeInTerminal("echo typed-$((40+2))\r");
    await expect.poll(() => phone.terminalText(), { timeout: 15_000 }).toContain("typed-42");
    expect(await phone.terminalFont()).toMatch(/monospace/);
    // The pty is as wide as the phone's screen, also when it opened after an approval (the request's card gone):
    // a line longer than the screen wraps where the shell thinks it does, and a wrapped command line stays legible.
    await phone.typeInTerminal("echo cols-$(tput cols); head -c 100 /dev/zero | tr '\\0' Z; echo\r");
    const zRows = async () =>
      (await phone.terminalText())
        .split("\n")
        .map((l) => l.trimEnd())
        .filter((l) => /^Z+$/.test(l));
    // The 100 Zs, wrapped by the phone's xterm at its own width.
    await expect.poll(async () => (await zRows()).join("").length, { timeout: 15_000 }).toBe(100);
    const ptyCols = Number(/cols-(\d+)/.exec(await phone.terminalText())![1]);
    expect((await zRows())[0]!.length).toBe(ptyCols);
    await phone.shot("08-terminal");
    await phone.page.setViewportSize(size);
  }, 60_000);

  it("recovers after the relay restarts: status, messages sent meanwhile, terminal scrollback", async () => {
    const port = relay.port;
    await relay.close();
    await phone.waitStatus(/Offline|Connecting|Signing in/);
    await phone.shot("09-offline");
    relay = await startRelay({ port, db: dbDir, appDir, logger });
    await phone.waitStatus(/Connected to relay · Desktop online/);
    await hub.sendMessage({ text: "sent after the restart" });
    await phone.tab("Chat").click();
    await phone.page
      .getByRole("list", { name: "Messages" })
      .getByText("sent after the restart")
      .waitFor({ timeout: 15_000 });
    await phone.tab("Terminal").click();
    await expect.poll(() => phone.terminalText(), { timeout: 15_000 }).toContain("typed-42");
    await phone.shot("10-terminal-after-restart");
  }, 90_000);

  it("shows that the shell ended when the desktop closes it", async () => {
    for (const t of await hub.listTerminals()) await hub.closeTerminal({ id: t.id });
    await phone.page.getByText("The shell has exited").waitFor({ timeout: 15_000 });
    await phone.page.getByRole("button", { name: "New shell" }).waitFor();
    await phone.shot("11-terminal-exited");
    await phone.page.emulateMedia({ colorScheme: "dark" });
    await phone.shot("12-terminal-dark");
    await phone.tab("Tasks").click();
    await phone.shot("13-tasks-dark");
    await phone.tab("Desktops").click();
    await phone.shot("14-desktops-dark");
  }, 60_000);

  it("words a code the desktop no longer waits for, and keeps the session to the paired desktop", async () => {
    const stale = await hub.startPairing();
    await hub.cancelPairing();
    await phone.tab("Desktops").click();
    await phone.pasteInvite(stale.uri);
    const alert = phone.page.locator("[data-reason]");
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.getAttribute("data-reason")).toBe("rendezvous_closed");
    await phone.waitStatus(/Connected to relay · Desktop online/);
    await phone.page.getByLabel("Or paste the pairing text shown on the desktop").fill("nlink://pair?v=1&r=nonsense");
    await phone.page.getByRole("button", { name: "Pair", exact: true }).click();
    await expect.poll(() => alert.getAttribute("data-reason")).toBe("invalid_link");
    await phone.shot("16-pair-error");
  }, 60_000);

  it("is installable and starts with no network: manifest, icons, and the cached app shell", async () => {
    const page = phone.page;
    const manifest = (await (
      await page.request.get(`http://127.0.0.1:${relay.port}/app/manifest.webmanifest`)
    ).json()) as { start_url: string; icons: { src: string; type: string }[] };
    expect(manifest.start_url).toBe("/app/");
    for (const icon of manifest.icons) {
      const res = await page.request.get(`http://127.0.0.1:${relay.port}/app/${icon.src}`);
      expect(res.status(), icon.src).toBe(200);
      expect(res.headers()["content-type"]).toContain(icon.type);
    }
    // The service worker has installed once `ready` resolves and it controls the page.
    await page.evaluate("navigator.serviceWorker.ready.then(() => true)");
    await expect
      .poll(() => page.evaluate("Boolean(navigator.serviceWorker.controller)"), { timeout: 15_000 })
      .toBe(true);
    await page.context().setOffline(true);
    await page.reload();
    await phone.waitStatus(/E2E Desktop/);
    await phone.tab("Chat").waitFor();
    await phone.shot("15-offline-start");
    await page.context().setOffline(false);
    await phone.waitStatus(/Connected to relay/);
    expect(phone.unexpectedErrors()).toEqual([]);
  }, 60_000);

  it("tells the person when the desktop removes this phone", async () => {
    const [device] = await hub.listDevices();
    await hub.revokeDevice({ device: device!.id });
    await phone.page.getByRole("alert").filter({ hasText: "has removed this phone" }).waitFor({ timeout: 15_000 });
    await phone.shot("17-revoked");
    expect(phone.unexpectedErrors()).toEqual([]);
  }, 60_000);
});
