import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppType, DEFAULT_PHONE_CAPS } from "@neural-link/shared/app";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HubEvents, PairingRequest } from "../src/hub/api";
import { type EmbeddedRelay, startEmbeddedRelay } from "../src/hub/embedded-relay";
import { HubNode } from "../src/hub/hub-node";
import { TestPhone } from "../test/test-phone";

/** /bin/sh, not the user's shell: no rc files, only what the test types. */
const TEST_SHELL = "/bin/sh";
const log = pino({ level: "silent" });

/**
 * The size policy with two viewers of one terminal (docs/protocol.md section
 * 11, "Terminal size"): a phone that opened it, over a real relay, and the
 * desktop UI's API on the same hub; a real pty running /bin/sh. Both report
 * their screens' sizes, alternately and again and again; the pty's size
 * (read inside it with `stty size`) changes only with the viewer that typed last.
 */
describe("terminal size: the viewer that typed last holds the size", () => {
  let dir: string;
  let relay: EmbeddedRelay;
  let hub: HubNode;
  let phone: TestPhone;
  let term: string;
  const resized: HubEvents["terminal.resized"][] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nlink-size-"));
    relay = await startEmbeddedRelay({ dataDir: dir, host: "127.0.0.1", port: 0, db: "memory", log });
    hub = await HubNode.start({
      dataDir: join(dir, "hub"),
      relay: relay.localUrl,
      name: "Size Hub",
      log,
      settings: { defaultCaps: [...DEFAULT_PHONE_CAPS, "terminal"] },
      executor: { defaultCwd: dir, terminalShell: TEST_SHELL },
    });
    await hub.whenOnline();
    phone = new TestPhone(relay.localUrl);
    await phone.connect();
    const requests: PairingRequest[] = [];
    hub.on("pairing.request", (r) => requests.push(r));
    hub.on("terminal.resized", (e) => resized.push(e));
    const { invite } = await phone.requestPairing((await hub.startPairing()).uri);
    for (let i = 0; i < 400 && requests.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    await hub.answerPairing({ requestId: requests[0]!.requestId, accept: true });
    await phone.completePairing(invite);
    term = await phone.openTerminal({ cols: 50, rows: 20 }, (task) => hub.approveTask({ task, approve: true }));
  }, 60_000);

  afterAll(async () => {
    phone?.stop();
    await hub?.stop();
    await relay?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let mark = 0;
  /** Types `stty size` (from the phone or the desktop) and returns what the pty says: "rows cols". */
  const sttySize = async (from: "phone" | "desktop", screen?: string): Promise<string> => {
    mark++;
    // The marker is computed by the shell, so the echo of the typed line cannot match it.
    const line = `echo m-$((${mark}+1000)); stty size\r`;
    if (from === "phone") await phone.rpc!.call("term.input", { term, data: line });
    else await hub.terminalInput({ id: term, data: line, ...(screen ? { screen } : {}) });
    // The marker, the size line, and the shell's next prompt ("# " or "$ "): stty has exited and the shell holds the
    // foreground again, so what the hub lists for the terminal is the shell, not stty.
    const want = new RegExp(`m-${mark + 1000}\\r\\n(\\d+ \\d+)\\r\\n[^\\r\\n]*[#$] `);
    // Resolves only once all three have arrived (or fails at its timeout).
    await phone.next(
      (m) => m.t === AppType.TERM_OUTPUT && (m.d as { term: string }).term === term && want.test(allOutput()),
    );
    return want.exec(allOutput())![1]!;
  };
  const allOutput = () =>
    phone.inbox
      .filter((m) => m.t === AppType.TERM_OUTPUT && (m.d as { term: string }).term === term)
      .map((m) => (m.d as { data: string }).data)
      .join("");
  const phoneResize = (cols: number, rows: number, claim?: boolean) =>
    phone.rpc!.call("term.resize", { term, cols, rows, ...(claim ? { claim } : {}) });
  const desktopResize = (cols: number, rows: number) => hub.resizeTerminal({ id: term, cols, rows });

  it("the opener holds the size: the desktop viewing it does not resize it", async () => {
    await desktopResize(120, 40);
    expect(await sttySize("phone")).toBe("20 50");
    expect(resized).toEqual([]);
  });

  it("two viewers resizing alternately: only the holder's sizes reach the pty", async () => {
    for (let i = 0; i < 8; i++) {
      await desktopResize(120 + i, 40);
      const answer = await phoneResize(60, 22 + (i % 2));
      expect(answer).toEqual({ cols: 60, rows: 22 + (i % 2), by: phone.device });
    }
    expect(await sttySize("phone")).toBe("23 60");
    // 8 phone resizes alternating between two sizes: 8 changes, all the phone's, none the desktop's.
    expect(resized.map((e) => e.by)).toEqual(Array(8).fill(phone.device));
  });

  it("the desktop types: the pty takes the desktop's size first; the phone is told and its resizes wait", async () => {
    resized.length = 0;
    expect(await sttySize("desktop")).toBe("40 127");
    expect(resized).toEqual([{ id: term, cols: 127, rows: 40, by: "desktop" }]);
    const told = await phone.next((m) => m.t === AppType.TERM_SIZE && (m.d as { by: string }).by === "desktop");
    expect(told.d).toEqual({ term, cols: 127, rows: 40, by: "desktop" });
    // The phone rotates while the desktop holds the size: recorded, not applied.
    expect(await phoneResize(90, 12)).toEqual({ cols: 127, rows: 40, by: "desktop" });
    expect(await sttySize("desktop")).toBe("40 127");
    const snap = await phone.rpc!.call("term.snapshot", { term });
    expect([snap.cols, snap.rows, snap.by]).toEqual([127, 40, "desktop"]);
  });

  it("the phone types again: the pty takes the size the phone reported last; a claim takes it without typing", async () => {
    expect(await sttySize("phone")).toBe("12 90");
    await desktopResize(100, 30);
    expect(await sttySize("phone")).toBe("12 90");
    await hub.resizeTerminal({ id: term, cols: 100, rows: 30, claim: true });
    expect(await sttySize("desktop")).toBe("30 100");
    expect(resized.at(-1)).toEqual({ id: term, cols: 100, rows: 30, by: "desktop" });
    const list = await phone.rpc!.call("term.list", {});
    expect(list.terms.find((t) => t.term === term)).toMatchObject({
      open: true,
      cols: 100,
      rows: 30,
      by: "desktop",
      command: "sh",
    });
  });

  it("two windows of the desktop are two viewers: the one that typed last holds the size; the phone sees one 'desktop'", async () => {
    const windowResize = (screen: string, cols: number, rows: number) =>
      hub.resizeTerminal({ id: term, cols, rows, screen });
    await windowResize("winA", 110, 33);
    await windowResize("winB", 70, 18);
    resized.length = 0;
    expect(await sttySize("desktop", "winA")).toBe("33 110");
    expect(resized).toEqual([{ id: term, cols: 110, rows: 33, by: "desktop:winA" }]);
    // Window B keeps reporting other sizes (its user drags its edge): the pty stays at window A's.
    for (let i = 0; i < 5; i++) await windowResize("winB", 70 + i, 18);
    expect(await sttySize("desktop", "winA")).toBe("33 110");
    expect(resized).toHaveLength(1);
    // Typing in window B makes it the holder, at the size it reported last.
    expect(await sttySize("desktop", "winB")).toBe("18 74");
    expect(resized.at(-1)).toEqual({ id: term, cols: 74, rows: 18, by: "desktop:winB" });
    expect((await hub.terminalSnapshot({ id: term })).size).toEqual({ cols: 74, rows: 18, by: "desktop:winB" });
    // A phone is told of one desktop, whichever window holds the size.
    const told = await phone.next((m) => m.t === AppType.TERM_SIZE && (m.d as { cols: number }).cols === 74);
    expect(told.d).toEqual({ term, cols: 74, rows: 18, by: "desktop" });
    const snap = await phone.rpc!.call("term.snapshot", { term });
    expect([snap.cols, snap.rows, snap.by]).toEqual([74, 18, "desktop"]);
  });

  it("term.list names what runs in the foreground: sleep while it runs, the shell again after ^C", async () => {
    const command = async () => (await phone.rpc!.call("term.list", {})).terms.find((t) => t.term === term)?.command;
    await phone.rpc!.call("term.input", { term, data: "sleep 30\r" });
    for (let i = 0; i < 200 && (await command()) !== "sleep"; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await command()).toBe("sleep");
    await phone.rpc!.call("term.input", { term, data: "\x03" });
    for (let i = 0; i < 200 && (await command()) !== "sh"; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await command()).toBe("sh");
  });
});
