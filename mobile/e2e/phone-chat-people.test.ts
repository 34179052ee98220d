import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MESSAGE_TEXT_MAX } from "@neural-link/shared/app";
import { pino } from "pino";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RelayHandle, startRelay } from "@neural-link/relay";
import type { PairingRequest } from "../../desktop/src/hub/api";
import { TestPhone } from "../../desktop/test/test-phone";
import { HubNode } from "../../desktop/src/hub/hub-node";
import { ensureAppBuilt } from "./build-app";
import { PHONE_VIEWPORT_LARGE } from "./chromium";
import { pairPhoneByCamera } from "./pair-phone";
import type { PhonePage } from "./phone-page";

/**
 * Chat with several authors, history for a new phone, emoji search, the
 * length limit, and revocation: the app in Chromium (390x844, touch), a real
 * relay and HubNode, and a second phone written from `shared` alone.
 * Screenshots go to artifacts/mobile/people-*.png.
 */
describe("phone: who wrote what, emoji, limits, unpaired", () => {
  const work = mkdtempSync(join(tmpdir(), "nlink-phone-people-"));
  const logger = pino({ level: "silent" });
  let relay: RelayHandle;
  let hub: HubNode;
  let browser: Browser;
  let phone: PhonePage;
  let other: TestPhone;

  beforeAll(async () => {
    const appDir = await ensureAppBuilt();
    relay = await startRelay({ port: 0, db: join(work, "relay-db"), appDir, logger });
    hub = await HubNode.start({
      dataDir: join(work, "hub"),
      relay: relay.url,
      name: "People Desktop",
      approvals: "phone",
      log: logger,
    });
    await hub.whenOnline();
  }, 120_000);

  afterAll(async () => {
    other?.stop();
    await browser?.close();
    await hub?.stop();
    await relay?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("a second phone, paired first, writes; the desktop writes before this phone is paired", async () => {
    const requests: PairingRequest[] = [];
    const off = hub.on("pairing.request", (r) => requests.push(r));
    other = new TestPhone(relay.url, "Ana's phone");
    await other.connect();
    const { invite } = await other.requestPairing((await hub.startPairing()).uri);
    await expect.poll(() => requests.length, { timeout: 15_000 }).toBe(1);
    await hub.answerPairing({ requestId: requests[0]!.requestId, accept: true });
    await other.completePairing(invite);
    off();
    await other.rpc!.call("messages.send", { text: "old note from Ana 🚀" });
    await hub.sendMessage({ text: "old desktop note" });
  }, 60_000);

  it("pairs this phone, which sees no earlier history", async () => {
    ({ browser, phone } = await pairPhoneByCamera({
      hub,
      relayPort: relay.port,
      work,
      desktopName: "People Desktop",
      viewport: PHONE_VIEWPORT_LARGE,
    }));
    await phone.tab("Chat").click();
    await phone.page.getByText("No messages yet. Say hello.").waitFor({ timeout: 15_000 });
  }, 60_000);

  it("labels each message with its real author, in the chat and in search results", async () => {
    await phone.sendMessage("launch 🚀 from this phone");
    await other.rpc!.call("messages.send", { text: "Ana says hi 🚀" });
    await hub.sendMessage({ text: "desktop says hi" });
    const list = phone.page.getByRole("list", { name: "Messages" });
    await list.getByText("desktop says hi").waitFor({ timeout: 15_000 });
    const label = (text: string) =>
      list.locator("li.message", { hasText: text }).locator(".message-time").textContent();
    expect(await label("Ana says hi")).toMatch(/^Ana's phone · /);
    expect(await label("desktop says hi")).toMatch(/^People Desktop · /);
    expect(await label("launch 🚀 from this phone")).toMatch(/^You · /);
    await phone.shot("people-01-authors");

    expect(await phone.search("🚀")).toEqual(["Ana says hi 🚀", "launch 🚀 from this phone"]);
    const results = phone.page.getByRole("region", { name: "Search results" });
    expect(await results.locator("li.message.mine .message-text").allTextContents()).toEqual([
      "launch 🚀 from this phone",
    ]);
    expect(
      await results.locator("li.message", { hasText: "Ana says hi" }).locator(".message-time").textContent(),
    ).toMatch(/^Ana's phone · /);
    await phone.shot("people-02-emoji-search");
    await phone.page.getByRole("button", { name: "Clear" }).click();
  }, 60_000);

  it("counts characters near the limit and refuses a message over it, in words, beside the composer", async () => {
    const box = phone.page.getByLabel("Message", { exact: true });
    await box.fill("x".repeat(MESSAGE_TEXT_MAX - 10));
    const counter = phone.page.locator("#chat-counter");
    expect(await counter.textContent()).toBe(
      `${(MESSAGE_TEXT_MAX - 10).toLocaleString("en-US")} / ${MESSAGE_TEXT_MAX.toLocaleString("en-US")} characters`,
    );
    expect(await phone.page.getByRole("button", { name: "Send" }).isEnabled()).toBe(true);
    await box.fill("y".repeat(MESSAGE_TEXT_MAX + 5));
    expect(await counter.textContent()).toMatch(/^Too long to send: 16,005 of at most 16,000 characters\. Remove 5\.$/);
    expect(await phone.page.getByRole("button", { name: "Send" }).isDisabled()).toBe(true);
    await phone.shot("people-03-too-long");
    await box.fill("");
  }, 60_000);

  it("once the desktop unpairs this phone, Run is disabled with that reason and the status bar agrees", async () => {
    const mine = (await hub.listDevices()).find((d) => d.name !== "Ana's phone")!;
    await hub.revokeDevice({ device: mine.id });
    await phone.waitStatus(/Unpaired by the desktop/);
    expect(await phone.page.locator("header.status-bar").textContent()).not.toMatch(/Connected to relay/);
    await phone.tab("Tasks").click();
    await phone.page.getByLabel("Command to run on the desktop").fill("ls");
    expect(await phone.page.getByRole("button", { name: "Run", exact: true }).isDisabled()).toBe(true);
    expect(await phone.page.getByTestId("run-blocker").textContent()).toMatch(/unpaired this phone/);
    await phone.shot("people-04-unpaired");
    expect(phone.unexpectedErrors()).toEqual([]);
  }, 60_000);
});
