import { Emitter } from "@neural-link/shared/events";
import {
  HUB_METHODS,
  isHubEvent,
  unwrapOutcome,
  type CallOutcome,
  type HubApi,
  type HubEventName,
  type HubEvents,
} from "../hub/api";
import { IPC } from "./ipc-channels";

/** The slice of Electron's ipcRenderer the preload uses, so it can be tested without Electron. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

type AnyListener = (payload: unknown) => void;

/**
 * Builds `window.hub`: each HubApi method becomes an `invoke` on one channel,
 * and one IPC listener fans hub events out to subscribers. Only plain
 * functions and data cross the contextBridge.
 */
export function createPreloadHub(ipc: IpcRendererLike): HubApi {
  const events = new Emitter<HubEvents>();
  ipc.on(IPC.EVENT, (_event, name, payload) => {
    if (!isHubEvent(name)) return;
    events.emit(name, payload as HubEvents[typeof name]);
  });
  const api: Record<string, unknown> = {
    on(event: HubEventName, listener: AnyListener) {
      if (!isHubEvent(event)) throw new TypeError(`unknown hub event ${String(event)}`);
      return events.on(event, listener);
    },
  };
  for (const method of HUB_METHODS) {
    api[method] = async (params?: unknown) =>
      unwrapOutcome((await ipc.invoke(IPC.CALL, method, params)) as CallOutcome);
  }
  return api as unknown as HubApi;
}
