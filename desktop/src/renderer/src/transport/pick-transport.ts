import type { HubApi } from "../../../hub/api";
import { type BridgeState, connectBridge } from "./ws-hub-client";

/** sessionStorage key that keeps the web-mode token across reloads of this tab only. */
const TOKEN_KEY = "nlink.bridgeToken";
/** Path of the bridge socket on the web-mode server. */
export const BRIDGE_PATH = "/bridge";

export type Transport =
  { kind: "electron"; api: HubApi } | { kind: "web"; api: HubApi } | { kind: "none"; reason: string };

/**
 * Chooses how this page reaches the hub: the preload's `window.hub` in the
 * Electron app, else the web-mode bridge with the token from `#token=...`.
 * The fragment is removed from the address bar at once so it is not copied
 * along with the URL or kept in history; the token stays in this tab's
 * sessionStorage, so a reload, or a reconnect after the hub restarts (it
 * keeps its port and token), needs nothing from the person.
 */
export function pickTransport(onState: (state: BridgeState) => void): Transport {
  if (window.hub) return { kind: "electron", api: window.hub };
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, "", location.pathname + location.search);
  }
  const token = fromHash ?? sessionStorage.getItem(TOKEN_KEY);
  if (!token) return { kind: "none", reason: "Open the address the hub printed, including its #token=… part." };
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const { api } = connectBridge(`${scheme}//${location.host}${BRIDGE_PATH}`, token, onState);
  return { kind: "web", api };
}
