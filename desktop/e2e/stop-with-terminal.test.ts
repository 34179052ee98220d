import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_PHONE_CAPS } from "@neural-link/shared/app";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { PairingRequest } from "../src/hub/api";
import { type EmbeddedRelay, startEmbeddedRelay } from "../src/hub/embedded-relay";
import { HubNode } from "../src/hub/hub-node";
import { TestPhone } from "../test/test-phone";

/**
 * Terminals run /bin/sh, not the user's $SHELL: an interactive bash reads the
 * machine's rc files, which here run `pyenv init` and can wait a minute on a lock.
 */
const TEST_SHELL = "/bin/sh";

/** Time after stop() for late pty output and timers to surface an error, if they would. */
const SETTLE_MS = 500;

const log = pino({ level: "silent" });

describe("stopping the hub while a phone's terminal is still printing", () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it("stops without an uncaught exception or unhandled rejection", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "nlink-stop-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const relay: EmbeddedRelay = await startEmbeddedRelay({
      dataDir: dir,
      host: "127.0.0.1",
      port: 0,
      db: "memory",
      log,
    });
    cleanup.push(() => relay.close());
    const hub = await HubNode.start({
      dataDir: join(dir, "hub"),
      relay: relay.localUrl,
      name: "Stop Hub",
      log,
      settings: { defaultCaps: [...DEFAULT_PHONE_CAPS, "terminal"] },
      executor: { defaultCwd: dir, terminalShell: TEST_SHELL },
    });
    let hubStopped = false;
    cleanup.push(async () => {
      if (!hubStopped) await hub.stop();
    });
    await hub.whenOnline();
    const phone = new TestPhone(relay.localUrl);
    cleanup.push(() => phone.stop());
    await phone.connect();

    const requests: PairingRequest[] = [];
    hub.on("pairing.request", (r) => requests.push(r));
    const { invite } = await phone.requestPairing((await hub.startPairing()).uri);
    await expect.poll(() => requests.length, { timeout: 10_000 }).toBe(1);
    await hub.answerPairing({ requestId: requests[0]!.requestId, accept: true });
    await phone.completePairing(invite);

    const term = await phone.openTerminal({ cols: 80, rows: 24 }, (task) => hub.approveTask({ task, approve: true }));
    await phone.rpc!.call("term.input", { term, data: "while :; do echo x; sleep 0.01; done\r" });
    // The loop is running once its output reaches the phone.
    await phone.waitForOutput(term, "x\r\nx");

    const errors: unknown[] = [];
    const onError = (err: unknown) => errors.push(err);
    process.on("uncaughtException", onError);
    process.on("unhandledRejection", onError);
    // The phone keeps typing while the hub goes down: its calls meet closed terminals and a closed link.
    let typing = true;
    const typist = (async () => {
      while (typing) await phone.rpc!.call("term.input", { term, data: "\r" }).catch(() => undefined);
    })();
    try {
      await expect(hub.stop()).resolves.toBeUndefined();
      hubStopped = true;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    } finally {
      typing = false;
      phone.stop();
      await typist;
      process.off("uncaughtException", onError);
      process.off("unhandledRejection", onError);
    }
    expect(errors.map(String)).toEqual([]);
  });
});
