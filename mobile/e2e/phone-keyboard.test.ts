import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RelayHandle, startRelay } from "@neural-link/relay";
import { HubNode } from "../../desktop/src/hub/hub-node";
import { productionBuild } from "../../test-support/vite-build";
import { MOBILE_DIR } from "./build-app";
import { PHONE_VIEWPORT_LARGE } from "./chromium";
import { pairPhoneByCamera } from "./pair-phone";
import type { PhonePage } from "./phone-page";

const WAIT = { timeout: 15_000 };

/**
 * Issue 13 parts 2 and 4 on the phone, through the real thing: the app in
 * Chromium (390x844, touch) served by a real relay, paired by camera with a
 * real HubNode (SQLite file, pty running /bin/sh). The terminal's extra keys
 * (sticky Ctrl interrupts a running `sleep`), two shells and switching, the
 * size policy seen from the phone, copy; saved commands and history re-run;
 * the approval card. Screenshots go to artifacts/mobile/keys-*.png.
 */
describe("phone: terminal keyboard, shells, saved commands", () => {
  const work = mkdtempSync(join(tmpdir(), "nlink-phone-keys-"));
  const logger = pino({ level: process.env.E2E_LOG ?? "silent" });
  let relay: RelayHandle;
  let hub: HubNode;
  let browser: Browser;
  let phone: PhonePage;

  beforeAll(async () => {
    // A build of its own: other suites rebuild mobile/dist when theirs is stale, and a reload here must not
    // land in the middle of that.
    const appDir = join(work, "app");
    await productionBuild({
      root: MOBILE_DIR,
      configFile: `${MOBILE_DIR}/vite.config.ts`,
      logLevel: "warn",
      build: { outDir: appDir, emptyOutDir: true },
    });
    relay = await startRelay({ port: 0, db: join(work, "relay-db"), appDir, logger });
    hub = await HubNode.start({
      dataDir: join(work, "hub"),
      relay: relay.url,
      name: "Keys Desktop",
      approvals: "phone",
      log: logger,
      executor: { terminalShell: "/bin/sh", defaultCwd: work },
    });
    await hub.whenOnline();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await relay?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const keys = () => phone.page.getByRole("toolbar", { name: /Extra keys|Function keys/ });
  const key = (name: string) => keys().getByRole("button", { name, exact: true });
  const ctrl = () => keys().getByRole("button", { name: "Control (sticky: tap twice to lock)" });
  const tabs = () => phone.page.getByRole("navigation", { name: "Your shells on the desktop" });
  const openShell = async () => {
    await phone.page.getByTestId("terminal-request").getByRole("button", { name: "Approve once" }).click(WAIT);
    await phone.page.getByText("Terminal open").waitFor(WAIT);
  };

  it("pairs at 390x844 by camera; the desktop allows terminals", async () => {
    ({ browser, phone } = await pairPhoneByCamera({
      hub,
      relayPort: relay.port,
      work,
      desktopName: "Keys Desktop",
      viewport: PHONE_VIEWPORT_LARGE,
      shots: true,
    }));
    const [device] = await hub.listDevices();
    await hub.setDeviceCaps({ device: device!.id, caps: ["chat", "tasks", "approve", "terminal", "doc"] });
    await phone.shot("keys-00-paired");
  }, 180_000);

  it("tap Ctrl, then type c on the keyboard: the running sleep is interrupted", async () => {
    await phone.newShell();
    await openShell();
    await phone.typeInTerminal("sleep 300\r");
    // The tab names what runs in the shell's foreground (term.list `command`).
    await expect
      .poll(() => tabs().locator(".terminal-tab.shown").textContent(), { timeout: 20_000 })
      .toContain("sleep");
    await ctrl().tap();
    expect(await ctrl().getAttribute("aria-pressed")).toBe("true");
    expect(await ctrl().textContent()).toContain("next key");
    await phone.shot("keys-01-ctrl-armed");
    await phone.page.keyboard.type("c");
    // Spent by one key: the modifier is off again.
    await expect.poll(() => ctrl().getAttribute("aria-pressed")).toBe("false");
    // Had the sleep not been interrupted, this line would wait 300 s in the tty's buffer.
    await phone.typeInTerminal("echo after-$((6*7))\r");
    await expect.poll(() => phone.terminalText(), { timeout: 15_000 }).toContain("after-42");
    await expect.poll(() => tabs().locator(".terminal-tab.shown").textContent(), { timeout: 20_000 }).toMatch(/1\s*sh/);
    await phone.shot("keys-02-interrupted");
  }, 90_000);

  it("Ctrl locks with a second tap; the Fn page has F1–F12; Home/End, PgUp/PgDn and | ~ / - are there", async () => {
    await ctrl().tap();
    await ctrl().tap();
    expect(await ctrl().textContent()).toContain("locked");
    await phone.shot("keys-03-ctrl-locked");
    await ctrl().tap();
    expect(await ctrl().getAttribute("aria-pressed")).toBe("false");
    for (const name of ["Home", "End", "Page up", "Page down", "Pipe", "Tilde", "Slash", "Dash", "Escape", "Tab"])
      expect(await key(name).count()).toBe(1);
    // The symbol keys type into the shell like the keyboard would: `echo k$((7-2))$((8/2)) | tr k z` prints z54,
    // which the typed line itself does not contain.
    await phone.page.getByTestId("terminal").click();
    await phone.page.keyboard.type("echo k$((7");
    await key("Dash").tap();
    await phone.page.keyboard.type("2))$((8");
    await key("Slash").tap();
    await phone.page.keyboard.type("2)) ");
    await key("Pipe").tap();
    await phone.page.keyboard.type(" tr k z\r");
    await key("Function keys").tap();
    expect(await keys().getAttribute("aria-label")).toBe("Function keys");
    expect(
      await keys()
        .getByRole("button", { name: /^F\d+$/ })
        .count(),
    ).toBe(12);
    await phone.shot("keys-04-function-keys");
    await key("Back to the main keys").tap();
    await expect.poll(() => phone.terminalText(), WAIT).toContain("z54");
  }, 60_000);

  it("text size buttons change the terminal's font and the choice survives a reload", async () => {
    const larger = phone.page.getByRole("button", { name: /^Larger text/ });
    const px = async () => Number(/now (\d+) px/.exec((await larger.getAttribute("aria-label")) ?? "")?.[1]);
    const before = await px();
    await larger.tap();
    await larger.tap();
    // Two quick taps are two steps.
    await expect.poll(px).toBe(before + 2);
    const chosen = await larger.getAttribute("aria-label");
    await phone.page.reload();
    await phone.tab("Terminal").click();
    await phone.page.getByText("Terminal open").waitFor(WAIT);
    await expect
      .poll(() => phone.page.getByRole("button", { name: /^Larger text/ }).getAttribute("aria-label"), WAIT)
      .toBe(chosen);
    // Reattached to the same shell: its output is still there.
    await expect.poll(() => phone.terminalText(), WAIT).toContain("after-42");
    await phone.shot("keys-05-larger-text");
    await phone.page.getByRole("button", { name: /^Smaller text/ }).tap();
    await phone.page.getByRole("button", { name: /^Smaller text/ }).tap();
  }, 60_000);

  it("Copy shows the terminal's text to select; Reconnect redraws the same shell", async () => {
    await phone.page.getByRole("button", { name: "Copy", exact: true }).tap();
    const text = phone.page.getByTestId("terminal-copy-text");
    await text.waitFor(WAIT);
    expect(await text.textContent()).toContain("after-42");
    await phone.shot("keys-06-copy");
    await phone.page.getByRole("button", { name: "Done" }).tap();
    await phone.page.getByRole("button", { name: /^Reconnect/ }).tap();
    await expect.poll(() => phone.terminalText(), WAIT).toContain("after-42");
  }, 60_000);

  it("Paste puts the clipboard into the shell; without clipboard access a paste box takes over", async () => {
    const context = phone.page.context();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(phone.page.url()).origin });
    // Written by the page itself, as another app's copy would be; the shell computes the marker.
    await phone.page.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { writeText(t: string): Promise<void> } } }
      ).navigator.clipboard.writeText("echo pasted-$((5*5))\r"),
    );
    await phone.page.getByRole("button", { name: "Paste", exact: true }).tap();
    await expect.poll(() => phone.terminalText(), WAIT).toContain("pasted-25");
    await context.clearPermissions();
    await phone.page.getByRole("button", { name: "Paste", exact: true }).tap();
    const box = phone.page.getByRole("form", { name: "Paste into the terminal" });
    await box.waitFor(WAIT);
    await phone.shot("keys-06b-paste-box");
    await box.getByRole("textbox").fill("echo boxed-$((6*6))\n");
    await box.getByRole("button", { name: "Send to shell" }).tap();
    await expect.poll(() => phone.terminalText(), WAIT).toContain("boxed-36");
  }, 60_000);

  it("letters beyond ASCII reach the shell once when inserted with no key press", async () => {
    // The shell prints in hex the bytes it received between two x: only text typed in whole, and once, makes the line
    // (kept under 16 bytes: one line of od, one row of the screen).
    const hexOf = (s: string) => [...Buffer.from(`x${s}x\n`)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    const typeBetween = async (insert: () => Promise<unknown>) => {
      await phone.page.keyboard.type("echo x");
      await insert();
      await phone.page.keyboard.type("x | od -An -tx1\r");
    };
    await phone.page.getByTestId("terminal").click();
    const cdp = await phone.page.context().newCDPSession(phone.page);
    // A letter the layout lacks: Playwright inserts it with no key press.
    await typeBetween(() => phone.page.keyboard.type("é"));
    await expect.poll(() => phone.terminalText(), WAIT).toContain(hexOf("é"));
    // A suggestion or an emoji a phone keyboard commits at once: an input event alone.
    await typeBetween(() => cdp.send("Input.insertText", { text: "ï✓😀" }));
    await expect.poll(() => phone.terminalText(), WAIT).toContain(hexOf("ï✓😀"));
    await cdp.detach();
    await phone.shot("keys-06c-beyond-ascii");
  }, 60_000);

  it("the desktop types into the phone's shell: the phone shows its size, scrollable, until it types or fits it back", async () => {
    const [term] = await hub.listTerminals();
    await hub.resizeTerminal({ id: term!.id, cols: 120, rows: 30 });
    await hub.terminalInput({ id: term!.id, data: "echo from-desktop-$((2*5))\r" });
    const note = phone.page.locator(".terminal-size-note");
    await note.waitFor(WAIT);
    expect(await note.textContent()).toContain("Sized by the desktop (120×30)");
    await expect.poll(() => phone.terminalText(), WAIT).toContain("from-desktop-10");
    await phone.shot("keys-07-sized-by-desktop");
    await note.getByRole("button", { name: "Fit to this phone" }).tap();
    await note.waitFor({ state: "detached", ...WAIT });
    expect((await hub.listTerminals()).find((t) => t.id === term!.id)!.cols).toBeLessThan(120);
  }, 60_000);

  it("a second shell opens beside the first; one tap on a tab switches between them", async () => {
    await tabs().getByRole("button", { name: "Open another shell" }).tap();
    await openShell();
    await expect.poll(() => tabs().locator("li.terminal-tab").count(), WAIT).toBe(2);
    await phone.typeInTerminal("echo second-$((3*3))\r");
    await expect.poll(() => phone.terminalText(), WAIT).toContain("second-9");
    expect(await phone.terminalText()).not.toContain("after-42");
    await phone.shot("keys-08-two-shells");
    await tabs().locator("li.terminal-tab").first().getByRole("button").first().tap();
    await expect.poll(() => phone.terminalText(), WAIT).toContain("after-42");
    expect(await tabs().locator("li.terminal-tab").first().getAttribute("class")).toContain("shown");
    await phone.shot("keys-09-switched-back");
  }, 90_000);

  it("saves a command, runs it with one tap, and re-runs it from the history", async () => {
    await phone.tab("Tasks").click();
    const command = "echo fav-$((2+3))";
    await phone.page.getByLabel("Command to run on the desktop").fill(command);
    await phone.page.getByRole("button", { name: "☆ Save this command" }).tap();
    const favorites = phone.page.getByRole("list", { name: "Saved commands" });
    await favorites.getByText(command).waitFor(WAIT);
    await phone.page.getByLabel("Command to run on the desktop").fill("");
    await favorites.getByRole("button", { name: `Run ${command}` }).tap();
    const card = phone.task(command);
    // With a sandbox, echo runs at once; without one every command asks first.
    const approve = card.first().getByRole("button", { name: "Approve once" });
    await expect
      .poll(async () => (await card.first().getAttribute("data-state")) === "done" || (await approve.count()) > 0, WAIT)
      .toBe(true);
    if ((await approve.count()) > 0) await approve.tap();
    await expect.poll(() => card.first().getAttribute("data-state"), { timeout: 20_000 }).toBe("done");
    expect(await card.first().locator(".task-output").textContent()).toContain("fav-5");
    await phone.shot("keys-10-favorite-ran");
    const history = phone.page.locator("details.history");
    await history.locator("summary").tap();
    const entry = history.locator("li.history-item").filter({ hasText: command });
    await entry.waitFor(WAIT);
    await entry.getByRole("button", { name: "Run again" }).tap();
    await expect.poll(() => card.count(), WAIT).toBe(2);
    const again = card.first().getByRole("button", { name: "Approve once" });
    if ((await again.count()) > 0) await again.tap();
    await expect.poll(() => card.first().getAttribute("data-state"), { timeout: 20_000 }).toBe("done");
    await expect.poll(() => entry.locator(".history-meta").textContent(), WAIT).toContain("2 times");
    await phone.page.locator("section.saved-commands").scrollIntoViewIfNeeded();
    await phone.shot("keys-11-history");
  }, 90_000);

  it("the approval card shows the exact command, the folder, who asked, the reasons and a live countdown", async () => {
    const command = "rm -rf ./scratch-dir";
    await phone.runCommand(command, work);
    const card = phone.task(command);
    await card.getByRole("button", { name: "Approve once" }).waitFor(WAIT);
    expect(await card.locator(".exact-command").textContent()).toBe(command);
    const facts = (await card.locator(".approval-facts").textContent()) ?? "";
    expect(facts).toContain(work);
    expect(facts).toContain("Asked bythis phone");
    expect(await card.locator(".task-reasons li").count()).toBeGreaterThan(0);
    const first = await card.getByTestId("approval-expiry").textContent();
    expect(first).toMatch(/^Expires in (29:\d\d|30:00)$/);
    // Live: the text changes as the clock ticks (event order, not a wall-clock bound).
    await expect.poll(() => card.getByTestId("approval-expiry").textContent(), WAIT).not.toBe(first);
    await card.scrollIntoViewIfNeeded();
    await phone.shot("keys-12-approval-card");
    await card.getByRole("button", { name: "Reject" }).tap();
  }, 60_000);

  it("in landscape (844x390) the keys are one row above the tab bar, and the shell still fits", async () => {
    await phone.tab("Terminal").click();
    await phone.page.setViewportSize({ width: 844, height: 390 });
    await phone.page.getByText("Terminal open").waitFor(WAIT);
    // Back from the Tasks tab: the shell shown last (shell 1), not the newest.
    await expect.poll(() => tabs().locator(".terminal-tab.shown .terminal-tab-n").textContent(), WAIT).toBe("1");
    const row = await keys().boundingBox();
    const bar = await phone.page.getByRole("navigation", { name: "Sections" }).boundingBox();
    expect(row && bar && row.y + row.height <= bar.y + 1).toBe(true);
    // One row: every key's top is the row's top.
    const tops = new Set(
      (await keys()
        .getByRole("button")
        .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)))) as number[],
    );
    expect(tops.size).toBe(1);
    await phone.shot("keys-13-landscape");
    await phone.page.setViewportSize(PHONE_VIEWPORT_LARGE);
    expect(phone.unexpectedErrors()).toEqual([]);
  }, 60_000);
});
