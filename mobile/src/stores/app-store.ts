import { createStore, type StoreApi } from "zustand/vanilla";
import { deviceIdOf, type Identity } from "@neural-link/shared/crypto";
import type { HubLink } from "../connection/hub-link";
import { loadOrCreateIdentity } from "../storage/identity-store";
import type { KeyValue } from "../storage/kv";
import {
  getSelected,
  listPairings,
  type Pairing,
  removePairing,
  savePairing,
  setSelected,
  trustRelayId,
} from "../storage/pairings-store";
import { describeError } from "./errors";
import { createSession, type Session } from "./session";
import { pendingDownloads } from "../files/pending-downloads";
import { pendingUploads } from "../files/pending-uploads";

export const TABS = ["chat", "tasks", "terminal", "files", "notes", "desktops"] as const;
export type Tab = (typeof TABS)[number];

export interface AppDeps {
  kv: KeyValue;
  linkFor(pairing: Pairing, identity: Identity): HubLink;
}

export interface AppState {
  phase: "loading" | "ready" | "error";
  error: string | null;
  identity: Identity | null;
  pairings: Pairing[];
  session: Session | null;
  tab: Tab;
  init(): Promise<void>;
  select(device: string): Promise<void>;
  addPairing(pairing: Pairing): Promise<void>;
  forget(device: string): Promise<void>;
  /** Stores the relay id a pairing's first READY named (trust on first use; see createGatewayLink). */
  relayTrusted(device: string, relayId: string): Promise<void>;
  /**
   * Closes the session's connection while a pairing runs. The relay keeps one
   * connection per device: the pairing's AUTH would replace the session's
   * (close 4006, after which a client must not reconnect on its own).
   */
  pauseSession(): void;
  /** Reopens the chosen desktop's session after a pairing that did not add one. */
  resumeSession(): Promise<void>;
  setTab(tab: Tab): void;
}

/** The app's top level: identity, paired desktops, which one is chosen, and its session. */
export function createAppStore(deps: AppDeps): StoreApi<AppState> {
  return createStore<AppState>((set, get) => {
    let offRevoked = () => {};
    const open = (pairing: Pairing | undefined) => {
      offRevoked();
      get().session?.dispose();
      const identity = get().identity;
      const session =
        pairing && identity
          ? createSession(pairing, deps.linkFor(pairing, identity), deviceIdOf(identity.signPublicKey), deps.kv)
          : null;
      set({ session });
      // Remembered, so that after a reload the app still says the desktop removed this phone.
      offRevoked = session
        ? session.revoked.subscribe(({ revoked }) => {
            if (revoked && !session.pairing.revoked)
              void savePairing(deps.kv, { ...session.pairing, revoked: true }).then((pairings) => set({ pairings }));
          })
        : () => {};
    };

    return {
      phase: "loading",
      error: null,
      identity: null,
      pairings: [],
      session: null,
      tab: "chat",

      async init() {
        try {
          const identity = await loadOrCreateIdentity(deps.kv);
          const pairings = await listPairings(deps.kv);
          const selected = await getSelected(deps.kv);
          set({ identity, pairings, phase: "ready", tab: pairings.length ? "chat" : "desktops" });
          open(pairings.find((p) => p.device === selected) ?? pairings[0]);
        } catch (e) {
          set({ phase: "error", error: describeError(e) });
        }
      },

      async select(device) {
        const pairing = get().pairings.find((p) => p.device === device);
        if (!pairing || get().session?.pairing.device === device) return;
        await setSelected(deps.kv, device);
        open(pairing);
      },

      async addPairing(pairing) {
        const pairings = await savePairing(deps.kv, pairing);
        await setSelected(deps.kv, pairing.device);
        set({ pairings });
        open(pairing);
      },

      async forget(device) {
        const pairings = await removePairing(deps.kv, device);
        set({ pairings });
        if (get().session?.pairing.device === device) open(pairings[0]);
        // Files kept to resume an upload to that desktop go too, and the bytes of downloads from it.
        await pendingUploads(deps.kv).clear(device);
        await pendingDownloads(deps.kv).clear(device);
      },

      async relayTrusted(device, relayId) {
        set({ pairings: await trustRelayId(deps.kv, device, relayId) });
      },

      pauseSession() {
        get().session?.dispose();
        set({ session: null });
      },

      async resumeSession() {
        if (get().session) return;
        const selected = await getSelected(deps.kv);
        const pairings = get().pairings;
        open(pairings.find((p) => p.device === selected) ?? pairings[0]);
      },

      setTab(tab) {
        set({ tab });
      },
    };
  });
}
