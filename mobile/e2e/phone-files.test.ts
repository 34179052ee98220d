import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

/** The few IndexedDB shapes the page-side helper below uses (this file is type-checked without the DOM lib). */
interface IdbRequest<T> {
  result: T;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IdbDb {
  objectStoreNames: ArrayLike<string>;
  transaction(
    store: string,
    mode: "readonly",
  ): {
    objectStore(name: string): { getAllKeys(): IdbRequest<unknown[]>; getAll(): IdbRequest<unknown[]> };
  };
  close(): void;
}
interface IdbLike {
  databases(): Promise<{ name?: string }[]>;
  open(name: string): IdbRequest<IdbDb>;
}

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const MB = 1_000_000;

/**
 * Files both ways in the phone app (Chromium, 390x844, touch) against a real
 * relay and HubNode: a file picked with the file input lands on the desktop
 * with equal bytes, also when the relay restarts under it; the desktop's
 * folders are browsed and a file fetched and saved from its Blob URL.
 * Screenshots go to artifacts/mobile/files-*.png.
 */
describe("phone: files both ways", () => {
  const work = mkdtempSync(join(tmpdir(), "nlink-phone-files-"));
  const landing = join(work, "landing");
  const share = join(work, "share");
  const logger = pino({ level: "silent" });
  let relay: RelayHandle;
  let hub: HubNode;
  let browser: Browser;
  let phone: PhonePage;

  const startOn = (port: number, appDir: string) => startRelay({ port, db: join(work, "relay-db"), appDir, logger });
  let appDir = "";

  beforeAll(async () => {
    // Always rebuilt: an app built minutes ago by another test run may predate the Files screen.
    appDir = await ensureAppBuilt(0);
    relay = await startOn(0, appDir);
    hub = await HubNode.start({
      dataDir: join(work, "hub"),
      relay: relay.url,
      name: "Files Desktop",
      approvals: "phone",
      log: logger,
    });
    await hub.whenOnline();
    await hub.updateFileSettings({ landingDir: landing });
    mkdirSync(share);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await relay?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const filesTab = () =>
    phone.page.getByRole("navigation", { name: "Sections" }).getByRole("button", { name: "Files" });

  it("pairs, and the Files tab shows the landing folder", async () => {
    ({ browser, phone } = await pairPhoneByCamera({
      hub,
      relayPort: relay.port,
      work,
      desktopName: "Files Desktop",
      viewport: PHONE_VIEWPORT_LARGE,
    }));
    await filesTab().click();
    await phone.page.getByRole("heading", { name: "Send to the desktop" }).waitFor();
    await phone.page.getByText(`Files land in ${landing}`).waitFor({ timeout: 15_000 });
    await phone.shot("files-01-screen");
  }, 90_000);

  it("sends a picked file with a progress bar, through a relay restart; it lands with equal bytes", async () => {
    const bytes = randomBytes(12 * MB);
    await phone.page
      .getByTestId("pick-file")
      .setInputFiles({ name: "holiday.jpg", mimeType: "image/jpeg", buffer: bytes });
    const bar = phone.page.getByRole("progressbar", { name: "Sending holiday.jpg" });
    await bar.waitFor();
    // Some bytes are through: now the relay goes away and comes back on the same port.
    await expect.poll(async () => Number(await bar.getAttribute("value")), { timeout: 30_000 }).toBeGreaterThan(0);
    await phone.shot("files-02-sending");
    const port = relay.port;
    await relay.close();
    relay = await startOn(port, appDir);
    await phone.page.getByText(/Saved on the desktop as .*holiday\.jpg/).waitFor({ timeout: 90_000 });
    await phone.shot("files-03-sent");
    expect(sha(readFileSync(join(landing, "holiday.jpg")))).toBe(sha(bytes));
    const [t] = await hub.listFileTransfers();
    expect(t).toMatchObject({ name: "holiday.jpg", state: "done", received: bytes.length });
  }, 150_000);

  it("cancels a file on its way: the row says so, and the desktop keeps nothing of it", async () => {
    // From a file on disk: a buffer this large crawls through the DevTools protocol.
    const picked = join(work, "video.mp4");
    writeFileSync(picked, randomBytes(40 * MB));
    await phone.page.getByTestId("pick-file").setInputFiles(picked);
    const bar = phone.page.getByRole("progressbar", { name: "Sending video.mp4" });
    await expect.poll(async () => Number(await bar.getAttribute("value")), { timeout: 30_000 }).toBeGreaterThan(0);
    await phone.page.getByRole("button", { name: "Cancel video.mp4" }).click();
    await phone.page.getByText("Cancelled; the desktop keeps nothing of it").waitFor({ timeout: 30_000 });
    await phone.shot("files-03b-cancelled");
    expect(await phone.page.getByRole("button", { name: "Cancel video.mp4" }).count()).toBe(0);
    await expect
      .poll(async () => (await hub.listFileTransfers()).find((t) => t.name === "video.mp4")?.state, { timeout: 30_000 })
      .toBe("cancelled");
    // Neither the file nor its part is left in the landing folder.
    expect(readdirSync(landing).filter((f) => f.includes("video") || f.endsWith(".part"))).toEqual([]);
  }, 120_000);

  it("an upload cut off by a reload of the app goes on by itself from the desktop's offset, with equal bytes", async () => {
    const bytes = randomBytes(30 * MB);
    const picked = join(work, "backup.tar");
    writeFileSync(picked, bytes);
    await phone.page.getByTestId("pick-file").setInputFiles(picked);
    const bar = phone.page.getByRole("progressbar", { name: "Sending backup.tar" });
    await expect.poll(async () => Number(await bar.getAttribute("value")), { timeout: 30_000 }).toBeGreaterThan(10);
    // The page goes away mid-transfer (a reload here; on a phone, the browser closing the app in the background).
    await phone.page.reload();
    await phone.waitStatus(/Connected to relay · Desktop online/);
    await filesTab().click();
    await phone.page.getByText(/Saved on the desktop as .*backup\.tar/).waitFor({ timeout: 90_000 });
    // The landing folder on screen lists it without a tap.
    await phone.page
      .getByRole("list", { name: "Files in this folder" })
      .getByRole("button", { name: "Fetch backup.tar" })
      .waitFor({ timeout: 15_000 });
    await phone.shot("files-03c-resumed");
    expect(sha(readFileSync(join(landing, "backup.tar")))).toBe(sha(bytes));
    // Resumed, not sent again under a new transfer: one transfer of that name, and it is done.
    const mine = (await hub.listFileTransfers()).filter((t) => t.name === "backup.tar");
    expect(mine.map((t) => t.state)).toEqual(["done"]);
  }, 180_000);

  it("a second file of the same name is not overwritten", async () => {
    const bytes = randomBytes(1000);
    await phone.page
      .getByTestId("pick-photos")
      .setInputFiles({ name: "holiday.jpg", mimeType: "image/jpeg", buffer: bytes });
    await phone.page.getByText(/Saved on the desktop as .*holiday \(1\)\.jpg/).waitFor({ timeout: 30_000 });
    expect(readFileSync(join(landing, "holiday (1).jpg")).equals(bytes)).toBe(true);
  }, 60_000);

  it("browses the desktop's folders with breadcrumbs and fetches a file to the phone", async () => {
    const bytes = randomBytes(3 * MB);
    writeFileSync(join(share, "report.bin"), bytes);
    const page = phone.page;
    await page.getByRole("button", { name: "Up", exact: true }).click();
    const entries = page.getByRole("list", { name: "Files in this folder" });
    await entries.getByRole("button", { name: "share" }).click();
    await page.getByRole("navigation", { name: "Folder" }).getByRole("button", { name: "share" }).waitFor();
    await phone.shot("files-04-browse");
    await entries.getByRole("button", { name: "Fetch report.bin" }).click();
    const save = page.getByRole("link", { name: "Save report.bin to this phone" });
    await save.waitFor({ timeout: 60_000 });
    await phone.shot("files-05-fetched");
    const [download] = await Promise.all([page.waitForEvent("download"), save.click()]);
    expect(download.suggestedFilename()).toBe("report.bin");
    expect(sha(readFileSync((await download.path())!))).toBe(sha(bytes));
  }, 90_000);

  it("a download cut off by a reload goes on by itself from the bytes the phone kept, with equal bytes", async () => {
    const bytes = randomBytes(24 * MB);
    writeFileSync(join(share, "archive.zip"), bytes);
    const page = phone.page;
    // The folder on screen was listed before the file was made: list it again.
    await page.getByRole("navigation", { name: "Folder" }).getByRole("button", { name: "share" }).click();
    await page
      .getByRole("list", { name: "Files in this folder" })
      .getByRole("button", { name: "Fetch archive.zip" })
      .click();
    // The phone keeps what arrives in IndexedDB as it comes: wait until some of it is there.
    const keptBytes = () =>
      page.evaluate(async () => {
        // Runs in the page (this file is type-checked without the DOM lib).
        const idb = (globalThis as unknown as { indexedDB: IdbLike }).indexedDB;
        const names = (await idb.databases()).map((d) => d.name);
        let total = 0;
        for (const name of names) {
          const db = await new Promise<IdbDb>((resolve, reject) => {
            const r = idb.open(name!);
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(new Error("open failed"));
          });
          for (const store of Array.from(db.objectStoreNames)) {
            const all = await new Promise<{ keys: unknown[]; values: unknown[] }>((resolve) => {
              const tx = db.transaction(store, "readonly").objectStore(store);
              const keys = tx.getAllKeys();
              const values = tx.getAll();
              values.onsuccess = () => resolve({ keys: keys.result, values: values.result });
            });
            all.keys.forEach((k, i) => {
              if (String(k).startsWith("download-part:")) total += (all.values[i] as { size: number }).size;
            });
          }
          db.close();
        }
        return total;
      });
    await expect.poll(keptBytes, { timeout: 60_000 }).toBeGreaterThan(2 * MB);
    await page.reload();
    await phone.waitStatus(/Connected to relay · Desktop online/);
    await filesTab().click();
    const save = page.getByRole("link", { name: "Save archive.zip to this phone" });
    await save.waitFor({ timeout: 90_000 });
    await phone.shot("files-05b-download-resumed");
    const [download] = await Promise.all([page.waitForEvent("download"), save.click()]);
    expect(sha(readFileSync((await download.path())!))).toBe(sha(bytes));
    // The same transfer went on (one of that name on the desktop), and nothing of it stays in the phone's storage.
    expect((await hub.listFileTransfers()).filter((t) => t.name === "archive.zip")).toHaveLength(1);
    await expect.poll(keptBytes, { timeout: 15_000 }).toBe(0);
  }, 180_000);

  it("says so when the desktop refuses: the hub's data folder", async () => {
    const page = phone.page;
    await page.getByRole("navigation", { name: "Folder" }).getByRole("button", { name: "/" }).click();
    // Walk to the work folder, where the hub's data folder ("hub") must not show.
    for (const part of work.split("/").filter(Boolean))
      await page
        .getByRole("list", { name: "Files in this folder" })
        .getByRole("button", { name: part, exact: true })
        .click();
    await page.getByRole("list", { name: "Files in this folder" }).getByRole("button", { name: "share" }).waitFor();
    expect(
      await page
        .getByRole("list", { name: "Files in this folder" })
        .getByRole("button", { name: "hub", exact: true })
        .count(),
    ).toBe(0);
    await phone.shot("files-06-no-data-dir");
  }, 60_000);
});
