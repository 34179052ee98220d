import { join } from "node:path";
import type { Browser } from "playwright-core";
import { expect } from "vitest";
import type { HubQuestion } from "../../desktop/src/hub/hub-events";
import type { HubNode } from "../../desktop/src/hub/hub-node";
import { launchPhoneBrowser, phoneContext } from "./chromium";
import { PhonePage } from "./phone-page";
import { qrFrame, writeY4m } from "./y4m";

/** The hub's notes pad as its own editing API exposes it (docs/notes.md, `notes.service.pad`). */
export interface HubPad {
  text(): string;
  setText(value: string): unknown;
}

/**
 * HubNode keeps its NotesService private; the desktop UI reaches it through
 * notes.message, which speaks Yjs. The hub's own editing API is the plain way in.
 */
export function hubNotesPad(hub: HubNode): HubPad {
  return (hub as unknown as { notes: { service: { pad(): HubPad } } }).notes.service.pad();
}

type PairingQuestion = Extract<HubQuestion, { kind: "pairing" }>;

export interface PairOptions {
  hub: HubNode;
  relayPort: number;
  /** A scratch directory for the camera's video file. */
  work: string;
  desktopName: string;
  shots?: boolean;
  /** The phone's screen; default PHONE_VIEWPORT. */
  viewport?: { width: number; height: number };
}

/**
 * Pairs the phone app in a new Chromium by scanning the hub's QR code with
 * the fake camera, checks that both sides show the same SAS, accepts on the
 * hub and waits until the phone says it is paired and the desktop is online.
 * With `shots`, saves the pair-start and SAS screens (01, 02).
 */
export async function pairPhoneByCamera(o: PairOptions): Promise<{ browser: Browser; phone: PhonePage }> {
  const questions: HubQuestion[] = [];
  const off = o.hub.onQuestion((q) => questions.push(q));
  const pairing = () => questions.find((q): q is PairingQuestion => q.kind === "pairing");
  try {
    const invite = await o.hub.startPairing();
    const video = join(o.work, "qr.y4m");
    writeY4m(video, qrFrame(invite.uri));
    const browser = await launchPhoneBrowser(video);
    try {
      return { browser, phone: await scanAndAccept(o, browser, pairing) };
    } catch (e) {
      // The caller gets no browser to close when pairing fails.
      await browser.close();
      throw e;
    }
  } finally {
    off();
  }
}

/** Opens the app, scans, compares the SAS with the hub's question and accepts it. */
async function scanAndAccept(
  o: PairOptions,
  browser: Browser,
  pairing: () => PairingQuestion | undefined,
): Promise<PhonePage> {
  const phone = new PhonePage(await (await phoneContext(browser, "light", o.viewport)).newPage());
  await phone.open(`http://127.0.0.1:${o.relayPort}/app/`);
  if (o.shots) await phone.shot("01-pair-start");
  const phoneSas = await phone.scanQr();
  if (o.shots) await phone.shot("02-pair-sas");
  await expect.poll(pairing, { timeout: 15_000 }).toBeDefined();
  const question = pairing()!;
  expect(phoneSas).toBe(question.sas);
  await o.hub.answerPairing({ requestId: question.requestId, accept: true });
  await phone.waitPaired(o.desktopName);
  await phone.waitStatus(/Connected to relay · Desktop online/);
  return phone;
}
