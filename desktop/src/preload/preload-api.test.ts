import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { HUB_METHODS, HubRequestError, type CallOutcome } from "../hub/api";
import { IPC } from "./ipc-channels";
import { createPreloadHub, type IpcRendererLike } from "./preload-api";

/**
 * Electron's ipcRenderer cannot load without the Electron binary, so these
 * tests drive the preload through a loopback pair: `invoke` answers from a
 * table and an EventEmitter plays main's `webContents.send`.
 */
function loopback(answer: (method: unknown, params: unknown) => CallOutcome) {
  const bus = new EventEmitter();
  const calls: unknown[][] = [];
  const ipc: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      calls.push([channel, ...args]);
      return answer(args[0], args[1]);
    },
    on: (channel, listener) => bus.on(channel, listener),
  };
  return { ipc, bus, calls };
}

describe("createPreloadHub", () => {
  it("exposes every HubApi method as an invoke on the call channel", async () => {
    const { ipc, calls } = loopback((method) => ({ ok: true, result: { method } }));
    const hub = createPreloadHub(ipc);
    for (const m of HUB_METHODS) expect(typeof hub[m]).toBe("function");
    expect(await hub.renameDevice({ device: "d1", name: "Pixel" })).toEqual({ method: "renameDevice" });
    expect(calls).toEqual([[IPC.CALL, "renameDevice", { device: "d1", name: "Pixel" }]]);
  });

  it("turns a failed outcome into a HubRequestError", async () => {
    const { ipc } = loopback(() => ({ ok: false, code: "not_found", message: "no task t9" }));
    const err = await createPreloadHub(ipc)
      .getTask({ task: "t9" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubRequestError);
    expect(err).toMatchObject({ code: "not_found", message: "no task t9" });
  });

  it("fans events out to subscribers, ignores unknown names, and unsubscribes", () => {
    const { ipc, bus } = loopback(() => ({ ok: true, result: null }));
    const hub = createPreloadHub(ipc);
    const seen: unknown[] = [];
    const off = hub.on("message", (m) => seen.push(m.text));
    bus.emit(IPC.EVENT, {}, "message", { text: "hi" });
    bus.emit(IPC.EVENT, {}, "bogus", { text: "no" });
    off();
    bus.emit(IPC.EVENT, {}, "message", { text: "late" });
    expect(seen).toEqual(["hi"]);
    expect(() => hub.on("bogus" as "message", () => undefined)).toThrow(TypeError);
  });
});
