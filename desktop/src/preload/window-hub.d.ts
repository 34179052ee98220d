import type { HubApi } from "../hub/api";

/** The preload exposes the hub here in the Electron app; web mode leaves it undefined. */
declare global {
  interface Window {
    hub?: HubApi;
  }
}
