import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HubNode } from "../hub/hub-node";
import { IPC } from "../preload/ipc-channels";
import { forwardHubEvents, registerHubIpc, type IpcMainLike } from "./hub-ipc";

const appUrl = "file:///app/out/renderer/index.html";
type Handler = Parameters<IpcMainLike["handle"]>[1];

/** ipcMain needs the Electron binary; this records handlers the way ipcMain.handle does. */
function recorder() {
  const handlers = new Map<string, Handler>();
  const ipc: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  const call = (url: string, ...args: unknown[]) =>
    (handlers.get(IPC.CALL) as Handler)({ senderFrame: { url } }, ...args);
  return { ipc, handlers, call };
}

// A real hub on a temp dir; it stays unconfigured (no name), so it never
// starts a relay or connects anywhere.
let dir: string;
let hub: HubNode;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "nl-ipc-"));
  hub = await HubNode.start({ dataDir: dir, log: pino({ level: "silent" }) });
});
afterEach(async () => {
  await hub.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("main-process hub IPC", () => {
  it("dispatches whitelisted calls from the app page to the hub", async () => {
    const { ipc, call, handlers } = recorder();
    const dispose = registerHubIpc(ipc, hub, () => appUrl, pino({ level: "silent" }));
    expect(await call(appUrl, "getStatus")).toMatchObject({ ok: true, result: { setupDone: false, devicesPaired: 0 } });
    expect(await call(appUrl, "__proto__", {})).toMatchObject({ ok: false, code: "unknown_method" });
    expect(await call(appUrl, "renameDevice", { device: "x" })).toMatchObject({ ok: false, code: "bad_params" });
    expect(await call(appUrl, "revokeDevice", { device: "nope" })).toMatchObject({ ok: false, code: "not_found" });
    expect(await call(appUrl, "getTask", { task: "t-none" })).toMatchObject({ ok: false, code: "not_found" });
    dispose();
    expect(handlers.size).toBe(0);
  });

  it("refuses calls from any other frame", async () => {
    const { ipc, call } = recorder();
    registerHubIpc(ipc, hub, () => appUrl, pino({ level: "silent" }));
    expect(await call("https://evil.example/", "sendMessage", { text: "injected" })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(await hub.searchMessages({ query: "injected" })).toEqual([]);
  });

  it("forwards every hub event on the event channel until disposed", async () => {
    const sent: unknown[][] = [];
    const off = forwardHubEvents(hub, (...args) => sent.push(args));
    await hub.sendMessage({ text: "hello" });
    off();
    await hub.sendMessage({ text: "after" });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject([IPC.EVENT, "message", { text: "hello" }]);
  });
});
