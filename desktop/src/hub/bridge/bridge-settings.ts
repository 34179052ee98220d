/** Settings of the web-mode bridge, each with its default. */
export interface BridgeSettings {
  /** Loopback address to listen on. Only loopback is allowed: the bridge is a local UI. */
  host: "127.0.0.1" | "::1";
  /** TCP port; 0 picks a free one. */
  port: number;
  /** How long a new socket may take to send its `auth` message. */
  authTimeoutMs: number;
  /** Largest bridge message accepted from the browser. */
  maxMessageBytes: number;
  /** Calls one socket may have running at once; more are refused with `conflict`. */
  maxInflightCalls: number;
}

export const BRIDGE_DEFAULTS: BridgeSettings = {
  host: "127.0.0.1",
  port: 0,
  authTimeoutMs: 5_000,
  maxMessageBytes: 1024 * 1024,
  maxInflightCalls: 64,
};
