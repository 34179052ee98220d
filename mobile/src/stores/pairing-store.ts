import { createStore, type StoreApi } from "zustand/vanilla";
import { pairWithDesktop, type PairDeps, type PairProgress, readInvite } from "../pairing/pair-flow";
import { type PairFailure, PairingRefusedError } from "../pairing/pairing-gateway";
import type { Pairing } from "../storage/pairings-store";

export type PairView =
  | { step: "idle" }
  | PairProgress
  | { step: "paired"; pairing: Pairing }
  | { step: "failed"; reason: PairFailure; message: string };

export interface PairingState {
  view: PairView;
  /** Starts pairing with the scanned or pasted text. Ignored while one is already running. */
  start(text: string): Promise<Pairing | null>;
  cancel(): void;
  reset(): void;
}

/** Everything pairing needs except the text and the progress callback, which the store supplies. */
export type PairingEnv = Omit<PairDeps, "onProgress" | "signal">;

/** What the pairing store tells the rest of the app. */
export interface PairingHooks {
  /** A pairing starts: the current session must let go of its connection. */
  starting(): void;
  /** Saves the result (and selects the new desktop). */
  paired(pairing: Pairing): Promise<void>;
  /** A pairing ended without a new desktop (failed or cancelled). */
  ended(): void;
}

/** Drives one pairing at a time. */
export function createPairingStore(env: () => Promise<PairingEnv>, hooks: PairingHooks): StoreApi<PairingState> {
  let abort: AbortController | null = null;
  return createStore<PairingState>((set, get) => ({
    view: { step: "idle" },

    async start(text) {
      const step = get().view.step;
      if (step === "connecting" || step === "waiting") return null;
      const controller = new AbortController();
      abort = controller;
      let started = false;
      let paired = false;
      try {
        const deps = await env();
        // A mistyped or expired code is refused here, without touching the current connection.
        readInvite(text, deps.now());
        hooks.starting();
        started = true;
        const pairing = await pairWithDesktop(text, {
          ...deps,
          signal: controller.signal,
          onProgress: (p) => !controller.signal.aborted && set({ view: p }),
        });
        await hooks.paired(pairing);
        paired = true;
        if (!controller.signal.aborted) set({ view: { step: "paired", pairing } });
        return pairing;
      } catch (e) {
        if (controller.signal.aborted) return null;
        const failure =
          e instanceof PairingRefusedError
            ? { reason: e.reason, message: e.message }
            : { reason: "network" as const, message: e instanceof Error ? e.message : "Pairing failed." };
        set({ view: { step: "failed", ...failure } });
        return null;
      } finally {
        if (abort === controller) abort = null;
        if (started && !paired) hooks.ended();
      }
    },

    cancel() {
      abort?.abort();
      abort = null;
      set({ view: { step: "idle" } });
    },

    reset() {
      if (!abort) set({ view: { step: "idle" } });
    },
  }));
}
