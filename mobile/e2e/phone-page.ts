import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { Page } from "playwright-core";

/** Where screenshots of each screen go (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL("../../artifacts/mobile", import.meta.url));

/** Generous waits: two CPUs are shared with other test suites. */
const WAIT = { timeout: 15_000 };

/**
 * Drives the phone app the way a person would: by visible labels and roles,
 * which also checks that the app is usable with a screen reader.
 */
export class PhonePage {
  readonly errors: string[] = [];

  constructor(readonly page: Page) {
    page.on("pageerror", (e) => this.errors.push(`pageerror: ${e.message}`));
    page.on("console", (m) => m.type() === "error" && this.errors.push(`console: ${m.text()}`));
    mkdirSync(ARTIFACTS, { recursive: true });
  }

  /**
   * Console errors and page errors, less two kinds that are expected:
   * the browser's report of each <style> element xterm.js creates under the
   * relay's CSP (mirror-inline-styles.ts restyles the terminal, and the test
   * checks that it did), and failed socket connects while the relay or the
   * network is down on purpose.
   */
  unexpectedErrors(): string[] {
    return this.errors.filter(
      (e) => !/Applying inline style violates/.test(e) && !/ERR_CONNECTION_REFUSED|ERR_INTERNET_DISCONNECTED/.test(e),
    );
  }

  /** The font the terminal's rows are drawn in: monospace only if xterm's own styles took effect. */
  terminalFont(): Promise<string> {
    return this.page
      .getByTestId("terminal")
      .locator(".xterm-rows")
      .evaluate((el) => {
        // This file is type-checked without the DOM lib; the callback runs in the page, where it exists.
        const view = globalThis as unknown as { getComputedStyle(e: unknown): { fontFamily: string } };
        return view.getComputedStyle(el).fontFamily;
      });
  }

  async shot(name: string): Promise<string> {
    const path = `${ARTIFACTS}/${name}.png`;
    await this.page.screenshot({ path });
    return path;
  }

  tab(name: "Chat" | "Tasks" | "Terminal" | "Notes" | "Desktops") {
    return this.page.getByRole("navigation", { name: "Sections" }).getByRole("button", { name });
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByRole("heading", { name: "Pair a desktop" }).waitFor(WAIT);
  }

  /** Scans with the (fake) camera and returns the SAS the phone shows. */
  async scanQr(): Promise<string> {
    await this.page.getByRole("button", { name: "Scan QR code" }).click();
    const sas = this.page.getByTestId("sas");
    await sas.waitFor(WAIT);
    return (await sas.textContent()) ?? "";
  }

  async pasteInvite(text: string): Promise<void> {
    await this.page.getByLabel("Or paste the pairing text shown on the desktop").fill(text);
    await this.page.getByRole("button", { name: "Pair", exact: true }).click();
  }

  async waitPaired(desktopName: string): Promise<void> {
    await this.page.getByRole("heading", { name: `Paired with ${desktopName}` }).waitFor(WAIT);
  }

  async waitStatus(text: RegExp): Promise<void> {
    await expect.poll(() => this.page.locator("header.status-bar").textContent(), WAIT).toMatch(text);
  }

  async sendMessage(text: string): Promise<void> {
    await this.tab("Chat").click();
    await this.page.getByLabel("Message", { exact: true }).fill(text);
    await this.page.getByRole("button", { name: "Send" }).click();
    await this.page.getByRole("list", { name: "Messages" }).getByText(text, { exact: true }).waitFor(WAIT);
  }

  async search(query: string): Promise<string[]> {
    await this.page.getByLabel("Search messages").fill(query);
    await this.page.getByRole("button", { name: "Search", exact: true }).click();
    const results = this.page.getByRole("region", { name: "Search results" });
    await results.getByRole("status").filter({ hasText: "result" }).waitFor(WAIT);
    return results.locator(".message-text").allTextContents();
  }

  async runCommand(command: string, cwd?: string): Promise<void> {
    await this.tab("Tasks").click();
    await this.page.getByLabel("Command to run on the desktop").fill(command);
    if (cwd !== undefined) await this.page.getByLabel("In folder").fill(cwd);
    await this.page.getByRole("button", { name: "Run", exact: true }).click();
  }

  /** Opens a new shell from the Terminal tab; it waits for approval until someone answers. */
  async newShell(): Promise<void> {
    await this.tab("Terminal").click();
    await this.page.getByRole("button", { name: "New shell" }).click();
  }

  task(command: string) {
    return this.page.getByRole("article", { name: command });
  }

  async typeInTerminal(text: string): Promise<void> {
    await this.page.getByTestId("terminal").click();
    await this.page.keyboard.type(text);
  }

  /** The terminal's text as its screen-reader mirror exposes it. */
  terminalText(): Promise<string> {
    return this.page.getByTestId("terminal").locator(".xterm-accessibility-tree, .xterm-rows").first().innerText();
  }
}
