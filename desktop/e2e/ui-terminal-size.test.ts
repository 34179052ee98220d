import { AppType, DEFAULT_PHONE_CAPS } from "@neural-link/shared/app";
import { pino } from "pino";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PairingRequest } from "../src/hub/api";
import type { EmbeddedRelay } from "../src/hub/embedded-relay";
import type { HubNode } from "../src/hub/hub-node";
import { TestPhone } from "../test/test-phone";
import { artifactPath } from "./artifacts";
import { type DesktopUiRig, startDesktopUi } from "../test/desktop-ui-rig";

const log = pino({ level: "silent" });
const WAIT = { timeout: 15_000 };

/**
 * The desktop UI's side of issue 13 parts 2 and 4, end to end: Chromium on
 * the web-mode page, HubNode over the bridge, a real relay, a phone written
 * with `shared` alone, a real pty. The desktop viewing a phone's shell does
 * not resize it; typing in it takes the size; the phone typing takes it back
 * (docs/protocol.md section 11, "Terminal size"). Saved commands made on the
 * phone are listed and run on the desktop. Screenshots: artifacts/desktop/size-*.png.
 */
describe("desktop UI: terminal size policy and saved commands", () => {
  let rig: DesktopUiRig;
  let relay: EmbeddedRelay;
  let hub: HubNode;
  let page: Page;
  let phone: TestPhone;
  let term: string;

  beforeAll(async () => {
    rig = await startDesktopUi({
      prefix: "nl-ui-size-",
      log,
      hub: (dir) => ({
        name: "Size desk",
        approvals: "desktop",
        settings: { defaultCaps: [...DEFAULT_PHONE_CAPS, "terminal"] },
        executor: { defaultCwd: dir, terminalShell: "/bin/sh" },
      }),
      viewport: { width: 1200, height: 800 },
      timeoutMs: 10_000,
    });
    ({ relay, hub, page } = rig);
  }, 180_000);

  afterAll(async () => {
    phone?.stop();
    await rig?.close();
  });

  let mark = 0;
  /** `stty size` typed by the phone, as the pty answers it: "rows cols". */
  const phoneStty = async (): Promise<string> => {
    mark++;
    await phone.rpc!.call("term.input", { term, data: `echo m-$((${mark}+500)); stty size\r` });
    const want = new RegExp(`m-${mark + 500}\\r\\n(\\d+ \\d+)\\r\\n`);
    const text = () =>
      phone.inbox
        .filter((m) => m.t === AppType.TERM_OUTPUT)
        .map((m) => (m.d as { data: string }).data)
        .join("");
    await phone.next((m) => m.t === AppType.TERM_OUTPUT && want.test(text()));
    return want.exec(text())![1]!;
  };

  it("a phone pairs and opens a shell at 50x20, approved on the desktop", async () => {
    phone = new TestPhone(relay.localUrl, "Size Phone");
    await phone.connect();
    const requests: PairingRequest[] = [];
    hub.on("pairing.request", (r) => requests.push(r));
    const { invite } = await phone.requestPairing((await hub.startPairing()).uri);
    for (let i = 0; i < 400 && requests.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    await hub.answerPairing({ requestId: requests[0]!.requestId, accept: true });
    await phone.completePairing(invite);
    term = await phone.openTerminal({ cols: 50, rows: 20 }, (task) => hub.approveTask({ task, approve: true }));
    expect(await phoneStty()).toBe("20 50");
  }, 60_000);

  it("the desktop shows the phone's shell at the phone's size and does not resize it by looking", async () => {
    await page.getByRole("navigation", { name: "Sections" }).getByRole("button", { name: "Terminals" }).click();
    await page.getByRole("tab", { name: /Size Phone/ }).click();
    const note = page.locator(".terminal-size-note");
    await note.waitFor(WAIT);
    expect(await note.textContent()).toContain("Sized by the phone that typed last (50×20)");
    expect(await phoneStty()).toBe("20 50");
    await page.screenshot({ path: artifactPath("size-01-desktop-views-phone-shell.png") });
  }, 60_000);

  it("typing on the desktop takes the size; the phone is told; the phone typing takes it back", async () => {
    await page.getByRole("application", { name: /^Terminal / }).click();
    await page.keyboard.type("echo desk-$((20+3))\r");
    await page.locator(".terminal-size-note").waitFor({ state: "detached", ...WAIT });
    const told = await phone.next((m) => m.t === AppType.TERM_SIZE && (m.d as { by: string }).by === "desktop");
    const { cols, rows } = told.d as { cols: number; rows: number };
    expect(cols).toBeGreaterThan(50);
    await expect.poll(() => page.locator(".xterm-rows").innerText(), WAIT).toContain("desk-23");
    await page.screenshot({ path: artifactPath("size-02-desktop-typed.png") });
    // The phone types: the pty is the phone's 50x20 again, and the desktop says so.
    expect(await phoneStty()).toBe("20 50");
    await page.locator(".terminal-size-note").waitFor(WAIT);
    expect(`${rows} ${cols}`).not.toBe("20 50");
  }, 60_000);

  it("a second window of the desktop at another size is a viewer of its own: the window that typed last holds the size", async () => {
    /** The first `term.size` the phone gets after `from` messages. */
    const sizeAfter = async (from: number) =>
      (await phone.next((m) => phone.inbox.indexOf(m) >= from && m.t === AppType.TERM_SIZE)).d as {
        cols: number;
        rows: number;
        by: string;
      };
    const second = await rig.browser.newPage({ viewport: { width: 700, height: 500 } });
    try {
      await second.goto(rig.server.url);
      await second.getByRole("navigation", { name: "Sections" }).getByRole("button", { name: "Terminals" }).click();
      await second.getByRole("tab", { name: /Size Phone/ }).click();
      await second.getByRole("application", { name: /^Terminal / }).click();
      let from = phone.inbox.length;
      await second.keyboard.type("echo win2-$((40+2))\r");
      await expect.poll(() => second.locator(".xterm-rows").innerText(), WAIT).toContain("win2-42");
      await second.locator(".terminal-size-note").waitFor({ state: "detached", ...WAIT });
      // The first window is told that another window holds the size, and draws at it rather than resizing it back.
      const note = page.locator(".terminal-size-note");
      await expect.poll(() => note.textContent(), WAIT).toContain("Sized by another window of this desktop that typed");
      // A phone is told of one desktop, whichever window holds the size.
      const small = await sizeAfter(from);
      expect(small.by).toBe("desktop");
      await page.screenshot({ path: artifactPath("size-03-another-window-holds.png") });
      // Typing in the first window takes the size back to its own, larger one; now the second one says so.
      from = phone.inbox.length;
      await page.getByRole("application", { name: /^Terminal / }).click();
      await page.keyboard.type("echo win1-$((40+1))\r");
      await note.waitFor({ state: "detached", ...WAIT });
      await expect
        .poll(() => second.locator(".terminal-size-note").textContent(), WAIT)
        .toContain("Sized by another window of this desktop");
      const back = await sizeAfter(from);
      expect([back.by, back.cols > small.cols]).toEqual(["desktop", true]);
    } finally {
      await second.close();
    }
  }, 90_000);

  it("lists the saved commands a phone made, and runs one with a click", async () => {
    await phone.rpc!.call("favorites.save", { command: "echo saved-$((4*4))", label: "Sixteen" });
    await page.getByRole("navigation", { name: "Sections" }).getByRole("button", { name: "Tasks" }).click();
    const list = page.getByRole("list", { name: "Saved commands" });
    await list.getByText("Sixteen").waitFor(WAIT);
    await list.getByRole("button", { name: "Run Sixteen" }).click();
    await page.getByRole("list", { name: "Tasks" }).getByText("echo saved-$((4*4))").first().waitFor(WAIT);
    await expect
      .poll(async () => (await hub.listCommandHistory({})).map((h) => h.command), WAIT)
      .toContain("echo saved-$((4*4))");
    await page.screenshot({ path: artifactPath("size-03-saved-commands.png") });
  }, 60_000);
});
