import type { Logger } from "pino";
import { dispatchCall } from "../hub/bridge/dispatch";
import { HUB_EVENTS, type CallOutcome, type HubApi, type HubEventName, type Unsubscribe } from "../hub/api";
import { IPC } from "../preload/ipc-channels";
import { isAppUrl } from "./navigation-guard";

/** The slice of Electron's ipcMain used here, so the wiring is testable without Electron. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

/**
 * Answers the preload's calls with the same whitelist and validation as the
 * web-mode bridge. A call from any frame other than the app page (a
 * navigated-away or injected frame) is refused.
 */
export function registerHubIpc(ipc: IpcMainLike, api: HubApi, appUrl: () => string, log: Logger): () => void {
  const mlog = log.child({ mod: "main/ipc" });
  ipc.handle(IPC.CALL, async (event, method, params): Promise<CallOutcome> => {
    const url = event.senderFrame?.url ?? "";
    if (!isAppUrl(url, appUrl())) {
      mlog.warn({ method: String(method).slice(0, 40) }, "hub call from a foreign frame refused");
      return { ok: false, code: "forbidden", message: "calls are accepted from the app page only" };
    }
    return dispatchCall(api, method, params, mlog);
  });
  return () => ipc.removeHandler(IPC.CALL);
}

/** Subscribes to every hub event and hands each to `send` (webContents.send in the app). */
export function forwardHubEvents(
  api: HubApi,
  send: (channel: string, name: HubEventName, payload: unknown) => void,
): Unsubscribe {
  const offs = HUB_EVENTS.map((name) => api.on(name, (payload) => send(IPC.EVENT, name, payload)));
  return () => offs.forEach((off) => off());
}
