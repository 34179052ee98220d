import type { LinkStatus } from "./hub-link";

/**
 * The relay connection in plain words. The shared client reports a dropped
 * socket as "closed with <code>" (and the relay's own reasons as text);
 * a person should never have to know what 1006 means.
 */
const CLOSE_WORDS: Record<number, string> = {
  1000: "the relay closed the connection",
  1001: "the relay is restarting",
  1006: "connection lost",
  1011: "the relay had a problem",
  1012: "the relay is restarting",
  4000: "the relay had a problem",
  4002: "the relay could not read a message from this phone",
  4003: "the relay wanted this phone to sign in first",
  4004: "the relay refused this phone's sign-in",
  4006: "this phone connected from another tab or a pairing, which took over",
  4008: "too many messages; slowing down",
  4009: "the connection went quiet and was closed",
};

/** A `LinkStatus.error` in plain words (never a raw close code). */
export function plainLinkError(error: string | undefined): string | undefined {
  if (!error) return undefined;
  const code = /closed with (\d+)/.exec(error)?.[1];
  if (code !== undefined) return CLOSE_WORDS[Number(code)] ?? "connection lost";
  if (/no HELLO/i.test(error)) return "the relay did not answer";
  const mismatch = /relay id mismatch: expected "(.*)", the relay says "(.*)"/.exec(error);
  if (mismatch)
    return `the relay changed identity (it says "${mismatch[2]}", not the "${mismatch[1]}" this phone trusted), so this phone does not connect. If the desktop moved its relay on purpose, pair again`;
  if (/cannot open socket|ECONNREFUSED|refused|network|error/i.test(error)) return "cannot reach the relay";
  return error;
}

/** The status line's words for the relay connection, e.g. "Offline: connection lost; reconnecting…". */
export function linkStateWords(status: LinkStatus): string {
  const problem = plainLinkError(status.error);
  switch (status.state) {
    case "connecting":
      return problem ? `Connecting to relay… (last try: ${problem})` : "Connecting to relay…";
    case "authenticating":
      return "Signing in to relay…";
    case "online":
      return "Connected to relay";
    case "offline":
      return `Offline: ${problem ?? "connection lost"}; reconnecting…`;
    case "closed":
      return problem ? `Disconnected: ${problem}` : "Disconnected";
    default: {
      const never: never = status.state;
      return String(never);
    }
  }
}

/**
 * Why a call to the desktop cannot be made right now, in words fit to sit
 * beside a disabled button; null when it can. A call made anyway would only
 * wait in the outbox and fail `rpcTimeoutMs` later, which is worse than saying so.
 */
export function whyCannotCall(status: LinkStatus | null, revoked: boolean): string | null {
  if (revoked) return "The desktop unpaired this phone. Pair it again under Desktops.";
  if (!status) return "Not connected to a desktop.";
  switch (status.state) {
    case "online":
      return status.peerOnline ? null : "The desktop is offline. Try again when it is back.";
    case "connecting":
    case "authenticating":
      return "Connecting to the relay…";
    case "offline":
      return "Offline: connection lost; reconnecting.";
    case "closed":
      return `Disconnected${status.error ? `: ${plainLinkError(status.error)}` : ""}.`;
    default: {
      const never: never = status.state;
      return String(never);
    }
  }
}
