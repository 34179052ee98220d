import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { uploadFile } from "@neural-link/shared/files";
import { pino } from "pino";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HubNode } from "../src/hub/hub-node";
import { FilesPhone } from "../test/files-phone";
import { artifactPath } from "./artifacts";
import { type DesktopUiRig, startDesktopUi } from "../test/desktop-ui-rig";

/**
 * The desktop's Settings for files from phones, in Chromium over the web-mode
 * bridge to a real HubNode: the received file is listed, and the landing
 * folder and size limit are changed and take effect for the next upload.
 * Screenshot: artifacts/desktop/files-settings.png.
 */
describe("desktop UI: files from phones", () => {
  const log = pino({ level: "silent" });
  let rig: DesktopUiRig;
  let dir: string;
  let hub: HubNode;
  let page: Page;
  let phone: FilesPhone;

  beforeAll(async () => {
    rig = await startDesktopUi({
      prefix: "nl-files-ui-",
      log,
      hub: () => ({ name: "Files desk", approvals: "desktop" }),
      beforePage: async (hub, relay, dir) => {
        await hub.updateFileSettings({ landingDir: join(dir, "landing") });
        phone = new FilesPhone(relay.localUrl);
        await phone.connect();
        await phone.pairWith(hub);
      },
      viewport: { width: 1200, height: 900 },
      timeoutMs: 15_000,
    });
    ({ dir, hub, page } = rig);
  }, 180_000);

  afterAll(async () => {
    phone?.stop();
    await rig?.close();
  });

  it("lists a received file and changes the landing folder and the size limit", async () => {
    const bytes = randomBytes(200_000);
    await uploadFile(phone, { name: "scan.pdf", size: bytes.length, read: async (o, n) => bytes.subarray(o, o + n) });
    await page.getByRole("navigation", { name: "Sections" }).getByRole("button", { name: "Settings" }).click();
    const list = page.getByRole("list", { name: "Recent file transfers" });
    await list.getByText("scan.pdf", { exact: true }).waitFor();
    expect(await list.textContent()).toContain(`saved as ${join(dir, "landing", "scan.pdf")}`);
    await expect.poll(() => page.getByLabel("Landing folder").inputValue()).toBe(join(dir, "landing"));

    const other = join(dir, "elsewhere");
    await page.getByLabel("Landing folder").fill(other);
    await page.getByLabel("Largest file in MB").fill("1");
    await page.getByRole("button", { name: "Save file settings" }).click();
    await page.getByRole("form", { name: "Files from phones" }).getByRole("status").waitFor();
    expect(await hub.getFileSettings()).toEqual({ landingDir: other, maxFileBytes: 1_000_000 });
    await page.screenshot({ path: artifactPath("files-settings.png"), fullPage: true });

    // The next upload lands in the new folder, and a larger one is refused.
    const next = await uploadFile(phone, { name: "b.txt", size: 3, read: async () => new Uint8Array([1, 2, 3]) });
    expect(next.path).toBe(join(other, "b.txt"));
    await expect(
      uploadFile(phone, { name: "c.bin", size: 1_000_001, read: async () => new Uint8Array() }),
    ).rejects.toMatchObject({ code: "too_large" });
  }, 120_000);

  it("refuses the hub's data folder as the landing folder, in words", async () => {
    await page.getByLabel("Landing folder").fill(join(dir, "hub", "inbox"));
    await page.getByRole("button", { name: "Save file settings" }).click();
    await page
      .getByText(/the hub's own data folder/)
      .first()
      .waitFor();
    expect((await hub.getFileSettings()).landingDir).toBe(join(dir, "elsewhere"));
  }, 60_000);
});
