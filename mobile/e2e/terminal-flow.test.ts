import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppType, DEFAULT_PHONE_CAPS } from "@neural-link/shared/app";
import { type RelayHandle, startRelay } from "@neural-link/relay";
import { HubNode } from "../../desktop/src/hub/hub-node";
import { OUTPUT_FLOW_DEFAULTS } from "../../desktop/src/hub/terminals/output-flow";
import { TestPhone } from "../../desktop/test/test-phone";
import { headless, openViewer, screenText, settled, type Viewer } from "./phone-terminal";

/**
 * Terminal flow (docs/protocol.md section 11), end to end: the phone app's own
 * TerminalSession over a real gateway client, a real relay on loopback, a real
 * hub and a real pty running floods. Nothing here asserts a time: bounds are in
 * characters, and the rest is the order in which things happen.
 */
const HIGH = 64 * 1024;
/** /bin/sh's prompt: `$ `, or `# ` for root. */
const PROMPT = /[$#]$/;
const atPrompt = (text: string) => PROMPT.test(text.trimEnd());
const FLOW = {
  ...OUTPUT_FLOW_DEFAULTS,
  highWaterChars: HIGH,
  lowWaterChars: HIGH / 2,
  // A fixed window, whatever the relay's pace.
  windowMs: 0,
  maxFrameChars: 16 * 1024,
  stallMs: 1500,
};

describe("terminal flow through the relay", () => {
  const work = mkdtempSync(join(tmpdir(), "nlink-term-flow-"));
  const log = pino({ level: "silent" });
  let relay: RelayHandle;
  let hub: HubNode;
  let phone: TestPhone;
  /** Everything the hub's ptys printed, per terminal. */
  const hubOut = new Map<string, string[]>();

  beforeAll(async () => {
    relay = await startRelay({ host: "127.0.0.1", port: 0, db: "memory", logger: log });
    hub = await HubNode.start({
      dataDir: join(work, "hub"),
      relay: relay.url,
      name: "Flow Desktop",
      log,
      settings: { defaultCaps: [...DEFAULT_PHONE_CAPS, "terminal"], termStream: FLOW },
      executor: { terminalShell: "/bin/sh" },
    });
    await hub.whenOnline();
    hub.on("terminal.output", (e) => {
      const list = hubOut.get(e.id) ?? [];
      list.push(e.data);
      hubOut.set(e.id, list);
    });
    hub.on("pairing.request", (r) => void hub.answerPairing({ requestId: r.requestId, accept: true }));
    hub.on("approval.request", (t) => void hub.approveTask({ task: t.id, approve: true }));
    phone = new TestPhone(relay.url, "Flow Phone");
    await phone.connect();
    const { invite } = await phone.requestPairing((await hub.startPairing()).uri);
    await phone.completePairing(invite);
  }, 120_000);

  /** Viewers a failed test left open: their floods must not run on into the next test. */
  const opened: Viewer[] = [];
  const view = async (...args: Parameters<typeof openViewer>) => {
    const v = await openViewer(...args);
    opened.push(v);
    return v;
  };
  afterEach(async () => {
    for (const v of opened.splice(0)) await v.close().catch(() => undefined);
  });

  afterAll(async () => {
    phone?.stop();
    await hub?.stop();
    await relay?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const hubChars = (term: string) => (hubOut.get(term) ?? []).reduce((n, d) => n + d.length, 0);
  /** Characters of term.output the phone received for `term`. */
  function received(term: string): { count(): number; off(): void } {
    let n = 0;
    const off = phone.endpoint.on("message", (m) => {
      if (m.t === AppType.TERM_OUTPUT && (m.d as { term: string }).term === term)
        n += (m.d as { data: string }).data.length;
      phone.inbox.length = 0; // a flood would fill the test phone's inbox
    });
    return { count: () => n, off };
  }
  async function until(cond: () => boolean, what: string, limitMs = 60_000): Promise<void> {
    const end = Date.now() + limitMs;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  /** Waits until `value` stops changing for a while (the pty paused, or a flood over). */
  async function steady(value: () => number, quietMs = 400): Promise<number> {
    for (let last = -1; ;) {
      await new Promise((r) => setTimeout(r, quietMs));
      const now = value();
      if (now === last) return now;
      last = now;
    }
  }
  /** The hub's screen, rebuilt from what its pty printed (the tail decides the screen). */
  async function hubScreen(term: string, cols: number, rows: number): Promise<string> {
    const x = headless(cols, rows);
    x.write((hubOut.get(term) ?? []).join("").slice(-512 * 1024));
    await settled(x);
    const text = screenText(x);
    x.dispose();
    return text;
  }
  async function converged(v: Viewer): Promise<void> {
    await steady(() => hubChars(v.term));
    const want = await hubScreen(v.term, 80, 24);
    await until(() => screenText(v.xterm) === want, "the phone's screen equals the hub's");
  }
  const floodPids = (marker: string) => {
    try {
      return execFileSync("pgrep", ["-f", marker], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
    } catch {
      return [];
    }
  };

  it("a phone that does not draw holds the pty at the watermark; once it stops acking it is dropped, and it comes back through a snapshot to the hub's screen", async () => {
    const v = await view(phone, { cols: 80, rows: 24 });
    const got = received(v.term);
    await until(() => atPrompt(screenText(v.xterm)), "the prompt");
    v.hold();
    await v.session.input("seq 1 30000000\r");
    // Paused: what was sent stays within the window (plus one read of the pty), while `seq` could print 250 MB.
    const held = await steady(() => got.count());
    expect(held).toBeGreaterThan(HIGH / 2);
    expect(held).toBeLessThanOrEqual(HIGH + FLOW.maxFrameChars + 64 * 1024);
    expect(hubChars(v.term)).toBeLessThanOrEqual(held + HIGH + 64 * 1024);
    // No ack for stallMs: the viewer counts as far behind, the pty runs on for the desktop, nothing more is sent.
    await until(() => hubChars(v.term) > 20 * HIGH, "the flood runs on once the phone is dropped");
    expect(got.count()).toBe(held);
    await v.session.input("\x03");
    await until(() => atPrompt((hubOut.get(v.term) ?? []).join("").slice(-200)), "the prompt at the hub");
    // The phone draws what it holds and acks it: a skipped number sends it to a snapshot.
    v.release();
    await converged(v);
    expect(got.count()).toBeLessThan(hubChars(v.term) / 4); // it never replayed the backlog
    got.off();
    await v.close();
  }, 180_000);

  it("Ctrl-C typed during a flood reaches the pty before the phone's backlog drains", async () => {
    const v = await view(phone, { cols: 80, rows: 24 });
    const got = received(v.term);
    await until(() => atPrompt(screenText(v.xterm)), "the prompt");
    v.hold();
    await v.session.input("seq 7 987654321\r");
    await until(() => floodPids("seq 7 987654321").length > 0, "the flood runs");
    const held = await steady(() => got.count());
    let drawn = 0;
    const offDrawn = v.onDrawn(() => drawn++);
    await v.session.input("\x03");
    await until(() => floodPids("seq 7 987654321").length === 0, "seq killed by the Ctrl-C");
    // The flood died while the phone had drawn none of its backlog.
    expect(drawn).toBe(0);
    expect(got.count()).toBeLessThanOrEqual(held + HIGH + FLOW.maxFrameChars);
    v.release();
    await converged(v);
    expect(atPrompt(screenText(v.xterm))).toBe(true);
    offDrawn();
    got.off();
    await v.close();
  }, 180_000);

  it("an RPC is answered, and another terminal echoes, while a flood runs", async () => {
    const v = await view(phone, { cols: 80, rows: 24 });
    const other = await view(phone, { cols: 80, rows: 24 });
    const got = received(v.term);
    await until(() => atPrompt(screenText(v.xterm)) && atPrompt(screenText(other.xterm)), "both prompts");
    await v.session.input("seq 3 987654321\r");
    await until(() => got.count() > 4 * HIGH, "the flood is under way");
    await phone.rpc!.call("hub.info", {});
    const atAnswer = got.count();
    await other.session.input("echo ok-$((40+2))\r");
    await until(() => screenText(other.xterm).includes("ok-42"), "the other terminal's echo");
    const atEcho = got.count();
    // Both came while the flood still ran: more of it arrived after each.
    await until(() => got.count() > atEcho + 2 * HIGH, "the flood goes on after the answer and the echo");
    expect(atEcho).toBeGreaterThanOrEqual(atAnswer);
    await v.session.input("\x03");
    await converged(v);
    got.off();
    await v.close();
    await other.close();
  }, 180_000);

  it("output comes as UTF-8 bytes to a phone that asks for them, as text to one that does not, and both draw the hub's screen", async () => {
    const forms = new Map<string, Set<string>>();
    const off = phone.endpoint.on("message", (m) => {
      if (m.t !== AppType.TERM_OUTPUT) return;
      const d = m.d as { term: string; data: unknown };
      const seen = forms.get(d.term) ?? new Set<string>();
      seen.add(d.data instanceof Uint8Array ? "bytes" : typeof d.data);
      forms.set(d.term, seen);
    });
    const asBytes = await view(phone, { cols: 80, rows: 24 });
    const asText = await view(phone, { cols: 80, rows: 24 }, { bytes: false });
    await until(() => atPrompt(screenText(asBytes.xterm)) && atPrompt(screenText(asText.xterm)), "both prompts");
    // The prompt may have come before the phones' snapshots, as text: only what follows them counts.
    forms.clear();
    // Two-, three- and four-byte characters over many frames (frames are at most 16 Ki characters here).
    const lines = 'i=0; while [ $i -lt 4000 ]; do echo "café — ✓ 😀 $i"; i=$((i+1)); done\r';
    for (const v of [asBytes, asText]) await v.session.input(lines);
    await converged(asBytes);
    await converged(asText);
    expect(screenText(asBytes.xterm)).toContain("café — ✓ 😀 3999");
    expect(forms.get(asBytes.term)).toEqual(new Set(["bytes"]));
    expect(forms.get(asText.term)).toEqual(new Set(["string"]));
    off();
  }, 120_000);

  it("a keystroke frame sent twice (a replaying relay) is typed once", async () => {
    const v = await view(phone, { cols: 80, rows: 24 });
    await until(() => atPrompt(screenText(v.xterm)), "the prompt");
    const printed = () => (hubOut.get(v.term) ?? []).join("");
    const before = printed().length;
    // The same sealed frame, id and all, twice: only a relay could do this, and the hub must not type twice.
    const frame = phone.endpoint.sealBytes(phone.hub!, AppType.TERM_IN, { term: v.term, data: "Z" }, 0);
    await phone.gateway.send(frame);
    await phone.gateway.send(frame);
    // Frames are handled in order: once the next keystroke is echoed, both copies were handled.
    await v.session.input("Q");
    await until(() => printed().slice(before).includes("Q"), "the next keystroke echoed");
    expect(printed().slice(before).replace(/[^ZQ]/g, "")).toBe("ZQ");
  });

  it("term.in and term.ack from another paired device do not touch a terminal it does not own", async () => {
    const v = await view(phone, { cols: 80, rows: 24 });
    await until(() => atPrompt(screenText(v.xterm)), "the prompt");
    const intruder = new TestPhone(relay.url, "Other Phone");
    await intruder.connect();
    const { invite } = await intruder.requestPairing((await hub.startPairing()).uri);
    await intruder.completePairing(invite);
    await intruder.endpoint.send(intruder.hub!, AppType.TERM_IN, { term: v.term, data: "echo pwned-$((6*7))\r" }, 0);
    await intruder.endpoint.send(intruder.hub!, AppType.TERM_ACK, { term: v.term, seq: 1_000_000 }, 0);
    // Sent after the intruder's frames reached the relay; the owner's keystrokes are applied, the intruder's never
    // were.
    await v.session.input("echo mine-$((1+1))\r");
    await until(() => screenText(v.xterm).includes("mine-2"), "the owner's echo");
    expect((hubOut.get(v.term) ?? []).join("")).not.toContain("pwned-42");
    intruder.stop();
    await v.close();
  }, 120_000);

  it("a phone that never acks (an older app) is never waited for, and still ends on the hub's screen", async () => {
    const v = await view(phone, { cols: 80, rows: 24 }, { flow: false });
    await until(() => atPrompt(screenText(v.xterm)), "the prompt");
    await v.session.input("seq 1 2000000\r");
    // Not paused for it: the whole flood (about 15 MB) is printed whatever the phone does.
    await until(() => hubChars(v.term) > 14_000_000, "the flood printed whole");
    await converged(v);
    await v.close();
  }, 180_000);
});
