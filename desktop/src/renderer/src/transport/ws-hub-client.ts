import { Emitter } from "@neural-link/shared/events";
import {
  HUB_METHODS,
  unwrapOutcome,
  type BridgeClientMessage,
  type BridgeServerMessage,
  type CallOutcome,
  type HubApi,
  type HubEventName,
  type HubEvents,
  type HubMethod,
} from "../../../hub/api";

/** Where the bridge socket is: open, being (re)opened, or refused for good (a wrong or rotated token). */
export type BridgeState =
  | { kind: "open"; reconnected: boolean }
  | { kind: "reconnecting"; attempt: number; reason: string; retryInMs: number }
  | { kind: "refused"; reason: string };

/** Reconnect pacing and how long a call waits for the socket; every number a named setting. */
export interface BridgeClientSettings {
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  /** A call made while the socket is down waits this long for it, then fails with "not connected". */
  callWaitMs: number;
}

export const BRIDGE_CLIENT_DEFAULTS: BridgeClientSettings = {
  reconnectBaseMs: 500,
  reconnectMaxMs: 8_000,
  callWaitMs: 5_000,
};

/** Close code the hub's bridge uses for a wrong token: retrying cannot help. */
const AUTH_REFUSED = 4401;

type AnyListener = (payload: unknown) => void;

/** Words for a close code a person may see in the banner. */
function closeReason(code: number, reason: string): string {
  if (reason) return reason;
  if (code === 1006) return "the hub is not answering (stopped or restarting?)";
  if (code === 1001) return "the hub is stopping";
  return `the connection closed (${code})`;
}

/**
 * The HubApi over the web-mode bridge socket: an `auth` message with the
 * token first, then numbered calls and pushed events. When the socket drops
 * (the hub restarts, the laptop sleeps), it reconnects by itself with
 * exponential backoff, telling `onState` so the page can show it; the hub
 * keeps its address across restarts, so the same tab comes back. Event
 * listeners survive reconnects. A refused token stops the retries.
 *
 * @example
 *   const { api } = connectBridge(`ws://${location.host}/bridge`, token, (s) => show(s));
 *   const status = await api.getStatus();
 */
export function connectBridge(
  url: string,
  token: string,
  onState: (s: BridgeState) => void,
  settings: Partial<BridgeClientSettings> = {},
): { api: HubApi } {
  const cfg = { ...BRIDGE_CLIENT_DEFAULTS, ...settings };
  const pending = new Map<number, (o: CallOutcome) => void>();
  const events = new Emitter<HubEvents>();
  let waiters: (() => void)[] = [];
  let ws: WebSocket | null = null;
  let open = false;
  let refused: string | null = null;
  let attempt = 0;
  let everOpen = false;
  let nextId = 1;

  const connect = () => {
    const socket = new WebSocket(url);
    ws = socket;
    socket.addEventListener("open", () =>
      socket.send(JSON.stringify({ type: "auth", token } satisfies BridgeClientMessage)),
    );
    socket.addEventListener("message", (ev) => {
      const msg = JSON.parse(String(ev.data)) as BridgeServerMessage;
      switch (msg.type) {
        case "ready":
          open = true;
          attempt = 0;
          onState({ kind: "open", reconnected: everOpen });
          everOpen = true;
          for (const w of waiters.splice(0)) w();
          break;
        case "reply": {
          const settle = pending.get(msg.id);
          pending.delete(msg.id);
          settle?.(msg);
          break;
        }
        case "event":
          events.emit(msg.event, msg.payload as HubEvents[typeof msg.event]);
          break;
        default: {
          const never: never = msg;
          throw new Error(`unexpected bridge message ${JSON.stringify(never)}`);
        }
      }
    });
    socket.addEventListener("close", (ev) => {
      if (ws !== socket) return;
      open = false;
      ws = null;
      const reason = closeReason(ev.code, ev.reason);
      for (const settle of pending.values())
        settle({ ok: false, code: "internal", message: `not connected to the hub: ${reason}` });
      pending.clear();
      if (ev.code === AUTH_REFUSED) {
        refused = `The hub refused this page: ${reason} (code ${ev.code}). Open the address the hub printed; its token may have changed.`;
        for (const w of waiters.splice(0)) w();
        onState({ kind: "refused", reason: refused });
        return;
      }
      const retryInMs = Math.min(cfg.reconnectMaxMs, cfg.reconnectBaseMs * 2 ** attempt);
      attempt++;
      onState({ kind: "reconnecting", attempt, reason, retryInMs });
      setTimeout(connect, retryInMs);
    });
  };
  connect();

  /** Resolves once the socket is open, or rejects after callWaitMs (or at once when refused). */
  const whenOpen = (): Promise<void> => {
    if (open) return Promise.resolve();
    // Calls fail with a short reason: the banner already says what happened and what to do.
    if (refused) return Promise.reject(new Error("not connected to the hub"));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters = waiters.filter((w) => w !== done);
        reject(new Error("not connected to the hub; reconnecting"));
      }, cfg.callWaitMs);
      const done = () => {
        clearTimeout(timer);
        if (open) resolve();
        else reject(new Error("not connected to the hub"));
      };
      waiters.push(done);
    });
  };

  const call = async (method: HubMethod, params: unknown): Promise<unknown> => {
    await whenOpen();
    const socket = ws;
    if (!socket) throw new Error("not connected to the hub; reconnecting");
    const id = nextId++;
    const outcome = await new Promise<CallOutcome>((resolve) => {
      pending.set(id, resolve);
      socket.send(JSON.stringify({ type: "call", id, method, params } satisfies BridgeClientMessage));
    });
    return unwrapOutcome(outcome);
  };

  const api: Record<string, unknown> = {
    on(event: HubEventName, listener: AnyListener) {
      return events.on(event, listener);
    },
  };
  for (const method of HUB_METHODS) api[method] = (params?: unknown) => call(method, params);
  return { api: api as unknown as HubApi };
}
