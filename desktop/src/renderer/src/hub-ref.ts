import type { HubApi } from "../../hub/api";

let current: HubApi | null = null;

/** Set once at startup by main.tsx, after the transport is chosen. */
export function setHub(api: HubApi): void {
  current = api;
}

/** The hub this page talks to. Stores call it lazily so they stay importable in any order. */
export function hub(): HubApi {
  if (!current) throw new Error("hub transport not chosen yet");
  return current;
}
