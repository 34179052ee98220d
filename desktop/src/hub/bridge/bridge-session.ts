import type { Logger } from "pino";
import type { RawData, WebSocket } from "ws";
import { BridgeClose, HUB_EVENTS, type BridgeServerMessage, type HubApi, type Unsubscribe } from "../api";
import type { BridgeSettings } from "./bridge-settings";
import { dispatchCall } from "./dispatch";
import { tokenMatches } from "./session-token";

/**
 * One browser tab's socket: waits for `auth` with the session token, then
 * forwards every hub event and answers calls. Never throws on what the
 * browser sends; bad input closes this socket with a BridgeClose code.
 */
export function runBridgeSession(
  ws: WebSocket,
  api: HubApi,
  token: string,
  settings: BridgeSettings,
  log: Logger,
): void {
  let authed = false;
  let inflight = 0;
  const unsubs: Unsubscribe[] = [];
  const timer = setTimeout(() => ws.close(BridgeClose.AUTH_TIMEOUT, "auth timeout"), settings.authTimeoutMs);

  const send = (msg: BridgeServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };

  ws.on("message", (data: RawData, isBinary: boolean) => {
    const msg = isBinary ? undefined : parse(data);
    if (msg === undefined) {
      ws.close(BridgeClose.PROTOCOL_ERROR, "expected one JSON object per text message");
      return;
    }
    if (!authed) {
      if (msg.type !== "auth") {
        ws.close(BridgeClose.PROTOCOL_ERROR, "auth first");
      } else if (!tokenMatches(token, msg.token)) {
        log.warn("bridge socket refused: wrong session token");
        ws.close(BridgeClose.BAD_TOKEN, "bad session token");
      } else {
        authed = true;
        clearTimeout(timer);
        for (const event of HUB_EVENTS) {
          unsubs.push(api.on(event, (payload) => send({ type: "event", event, payload })));
        }
        send({ type: "ready" });
      }
      return;
    }
    if (msg.type !== "call" || typeof msg.id !== "number" || !Number.isSafeInteger(msg.id)) {
      ws.close(BridgeClose.PROTOCOL_ERROR, "expected a call with a numeric id");
      return;
    }
    const id = msg.id;
    if (inflight >= settings.maxInflightCalls) {
      send({ type: "reply", id, ok: false, code: "conflict", message: "too many calls in flight" });
      return;
    }
    inflight += 1;
    void dispatchCall(api, msg.method, msg.params, log).then((outcome) => {
      inflight -= 1;
      send({ type: "reply", id, ...outcome });
    });
  });

  ws.on("close", () => {
    clearTimeout(timer);
    for (const unsub of unsubs.splice(0)) unsub();
  });
  ws.on("error", (err) => log.debug({ err: err.message }, "bridge socket error"));
}

type Incoming = { type: string; token?: unknown; id?: unknown; method?: unknown; params?: unknown };

function parse(data: RawData): Incoming | undefined {
  try {
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString("utf8")
      : Buffer.from(data as ArrayBuffer).toString("utf8");
    const value: unknown = JSON.parse(text);
    if (
      typeof value === "object" &&
      value !== null &&
      !Array.isArray(value) &&
      typeof (value as Incoming).type === "string"
    ) {
      return value as Incoming;
    }
  } catch {
    // fall through: not JSON
  }
  return undefined;
}
