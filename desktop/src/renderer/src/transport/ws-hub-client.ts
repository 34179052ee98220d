import {
  HUB_METHODS,
  unwrapOutcome,
  type BridgeClientMessage,
  type BridgeServerMessage,
  type CallOutcome,
  type HubApi,
  type HubEventName,
  type HubMethod,
} from "../../../preload/api-types";

/** Why the bridge socket ended, for the disconnected banner. */
export interface BridgeEnd {
  code: number;
  reason: string;
}

type AnyListener = (payload: unknown) => void;

/**
 * The HubApi over the web-mode bridge socket: one WebSocket, an `auth`
 * message with the session token first, then numbered calls and pushed
 * events. Calls made before the socket is ready wait for it.
 *
 * @example
 *   const { api } = connectBridge(`ws://${location.host}/bridge`, token, onEnd);
 *   const status = await api.getStatus();
 */
export function connectBridge(url: string, token: string, onEnd: (end: BridgeEnd) => void): { api: HubApi; ready: Promise<void> } {
  const ws = new WebSocket(url);
  const pending = new Map<number, (o: CallOutcome) => void>();
  const listeners = new Map<HubEventName, Set<AnyListener>>();
  let nextId = 1;
  let ended: BridgeEnd | null = null;

  const ready = new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => ws.send(JSON.stringify({ type: "auth", token } satisfies BridgeClientMessage)));
    ws.addEventListener("message", (ev) => {
      const msg = JSON.parse(String(ev.data)) as BridgeServerMessage;
      switch (msg.type) {
        case "ready":
          resolve();
          break;
        case "reply": {
          const settle = pending.get(msg.id);
          pending.delete(msg.id);
          settle?.(msg);
          break;
        }
        case "event":
          for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
          break;
        default: {
          const never: never = msg;
          throw new Error(`unexpected bridge message ${JSON.stringify(never)}`);
        }
      }
    });
    ws.addEventListener("close", (ev) => {
      ended = { code: ev.code, reason: ev.reason || "connection to the hub closed" };
      for (const settle of pending.values()) settle({ ok: false, code: "internal", message: ended.reason });
      pending.clear();
      reject(new Error(ended.reason));
      onEnd(ended);
    });
  });
  // A failed handshake is reported through onEnd; nobody needs to await `ready`.
  ready.catch(() => undefined);

  const call = async (method: HubMethod, params: unknown): Promise<unknown> => {
    await ready;
    if (ended) throw new Error(ended.reason);
    const id = nextId++;
    const outcome = await new Promise<CallOutcome>((resolve) => {
      pending.set(id, resolve);
      ws.send(JSON.stringify({ type: "call", id, method, params } satisfies BridgeClientMessage));
    });
    return unwrapOutcome(outcome);
  };

  const api: Record<string, unknown> = {
    on(event: HubEventName, listener: AnyListener) {
      const set = listeners.get(event) ?? new Set<AnyListener>();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  for (const method of HUB_METHODS) api[method] = (params?: unknown) => call(method, params);
  return { api: api as unknown as HubApi, ready };
}
