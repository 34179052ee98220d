import {
  HUB_METHODS,
  isHubEvent,
  unwrapOutcome,
  type CallOutcome,
  type HubApi,
  type HubEventName,
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
  const listeners = new Map<HubEventName, Set<AnyListener>>();
  ipc.on(IPC.EVENT, (_event, name, payload) => {
    if (!isHubEvent(name)) return;
    for (const l of listeners.get(name) ?? []) l(payload);
  });
  const api: Record<string, unknown> = {
    on(event: HubEventName, listener: AnyListener) {
      if (!isHubEvent(event)) throw new TypeError(`unknown hub event ${String(event)}`);
      const set = listeners.get(event) ?? new Set<AnyListener>();
      listeners.set(event, set);
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
  };
  for (const method of HUB_METHODS) {
    api[method] = async (params?: unknown) => unwrapOutcome((await ipc.invoke(IPC.CALL, method, params)) as CallOutcome);
  }
  return api as unknown as HubApi;
}
