import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DocReplica } from "@neural-link/shared/sync";
import { pino } from "pino";
import type { Browser, WebSocketRoute } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RelayHandle, startRelay } from "@neural-link/relay";
import { phoneNotes } from "../../desktop/e2e/phone-notes";
import { TestPhone } from "../../desktop/test/test-phone";
import type { HubQuestion } from "../../desktop/src/hub/hub-events";
import { HubNode } from "../../desktop/src/hub/hub-node";
import { ensureAppBuilt } from "./build-app";
import { type HubPad, hubNotesPad, pairPhoneByCamera } from "./pair-phone";
import type { PhonePage } from "./phone-page";

/** Generous waits: two CPUs are shared with other test suites. */
const WAIT = { timeout: 20_000 };

/**
 * Issue #7: two phones (the app in real Chromium, and one made with `shared`
 * alone) and the hub edit the same notes at the same time, online and then
 * with both phones offline; once back, all three hold the same text with
 * every edit in it.
 */
describe("notes edited by two phones and the hub at once", () => {
  const work = mkdtempSync(join(tmpdir(), "nlink-notes-3way-"));
  const logger = pino({ level: "silent" });
  let relay: RelayHandle;
  let hub: HubNode;
  let browser: Browser;
  let phone: PhonePage;
  let sim: TestPhone;
  let simNotes: DocReplica;
  let pad: HubPad;

  beforeAll(async () => {
    const appDir = await ensureAppBuilt();
    relay = await startRelay({ port: 0, db: join(work, "relay-db"), appDir, logger });
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
    pad = hubNotesPad(hub);
  }, 120_000);

  afterAll(async () => {
    simNotes?.destroy();
    sim?.stop();
    await browser?.close();
    await hub?.stop();
    await relay?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const area = () => phone.page.getByTestId("notes-pad-textarea");
  const chromiumSynced = () => phone.page.locator('[data-testid="notes-pad-status"][data-synced="true"]').waitFor(WAIT);

  /** The phone app types at the start of the pad, as a person would. */
  async function typeAtStart(text: string): Promise<void> {
    await area().click();
    await area().press("Control+Home");
    await phone.page.keyboard.type(text);
  }

  it("pairs the Chromium phone by camera and the simulated phone by the QR link", async () => {
    ({ browser, phone } = await pairPhoneByCamera({ hub, relayPort: relay.port, work, desktopName: "E2E Desktop" }));
    const questions: HubQuestion[] = [];
    const off = hub.onQuestion((q) => questions.push(q));
    try {
      const invite = await hub.startPairing();
      sim = new TestPhone(relay.url, "Sim Phone");
      await sim.connect();
      const { invite: parsed, sas } = await sim.requestPairing(invite.uri);
      await expect
        .poll(() => questions.find((q) => q.kind === "pairing"), WAIT)
        .toMatchObject({ deviceName: "Sim Phone", sas });
      const question = questions.find((q) => q.kind === "pairing")!;
      if (question.kind !== "pairing") throw new Error("unreachable");
      await hub.answerPairing({ requestId: question.requestId, accept: true });
      expect((await sim.completePairing(parsed)).caps).toContain("doc");
    } finally {
      off();
    }
    expect(await hub.listDevices()).toHaveLength(2);
  }, 90_000);

  it("merges edits made at the same time by all three while online", async () => {
    simNotes = phoneNotes(sim, hub.device, "Sim Phone");
    await expect.poll(() => simNotes.getState().synced, WAIT).toBe(true);
    await phone.tab("Notes").click();
    await area().waitFor(WAIT);
    await chromiumSynced();
    pad.setText("shared notes\n");
    await expect.poll(() => area().inputValue(), WAIT).toBe("shared notes\n");
    await expect.poll(() => simNotes.getState().text, WAIT).toBe("shared notes\n");

    // None waits for the others: the app types at the start while the other two append.
    const typing = typeAtStart("[chromium online] ");
    simNotes.setText(`${simNotes.getState().text}[sim online]\n`);
    pad.setText(`${pad.text()}[hub online]\n`);
    await typing;
    await expectConverged(["shared notes\n", "[chromium online] ", "[sim online]\n", "[hub online]\n"]);
  }, 90_000);

  it("merges edits made while both phones are offline once they are back", async () => {
    const page = phone.page;
    // Chromium's offline mode blocks new connections but leaves an open WebSocket
    // alone: the app's socket goes through a route that the test can cut.
    const sockets = new Set<WebSocketRoute>();
    let offline = false;
    await page.routeWebSocket(/\/v1\/gateway/, (ws) => {
      if (offline) return void ws.close();
      const server = ws.connectToServer();
      sockets.add(ws);
      ws.onClose(() => void server.close());
      server.onClose(() => void ws.close());
    });
    await page.reload();
    await phone.waitStatus(/Connected to relay · Desktop online/);
    await phone.tab("Notes").click();
    await chromiumSynced();
    expect(sockets.size).toBeGreaterThan(0);

    sim.gateway.stop();
    offline = true;
    await page.context().setOffline(true);
    for (const ws of sockets) await ws.close();
    await phone.waitStatus(/Offline|Connecting|Signing in/);

    await typeAtStart("[chromium offline] ");
    simNotes.setText(`${simNotes.getState().text}[sim offline]\n`);
    pad.setText(`${pad.text()}[hub while phones offline]\n`);
    // Each offline phone keeps its own edit; neither reached the hub.
    expect(await area().inputValue()).toContain("[chromium offline] ");
    expect(simNotes.getState().text).toContain("[sim offline]\n");
    expect(pad.text()).not.toMatch(/chromium offline|sim offline/);

    offline = false;
    await page.context().setOffline(false);
    sim.gateway.start();
    await sim.gateway.whenOnline();
    await phone.waitStatus(/Connected to relay · Desktop online/);
    await expectConverged([
      "shared notes\n",
      "[chromium online] ",
      "[sim online]\n",
      "[hub online]\n",
      "[chromium offline] ",
      "[sim offline]\n",
      "[hub while phones offline]\n",
    ]);
    await phone.shot("18-notes-three-way");
    expect(phone.unexpectedErrors()).toEqual([]);
  }, 90_000);

  /** All three copies become the same text, and that text holds every edit. */
  async function expectConverged(parts: string[]): Promise<void> {
    const copies = async () => ({
      chromium: await area().inputValue(),
      sim: simNotes.getState().text,
      hub: pad.text(),
    });
    await expect
      .poll(async () => {
        const c = await copies();
        return c.chromium === c.hub && c.sim === c.hub;
      }, WAIT)
      .toBe(true);
    const { hub: text } = await copies();
    for (const part of parts) expect(text).toContain(part);
    // Nothing doubled by a replayed update either.
    expect(text.length).toBe(parts.reduce((n, p) => n + p.length, 0));
  }
});
