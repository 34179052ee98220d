import { create } from "zustand";
import type { PairingDone, PairingInvite, PairingRequest } from "../../../hub/api";
import { hub } from "../hub-ref";
import { report } from "./ui-store";

interface PairingState {
  invite: PairingInvite | null;
  /** The request waiting for the person's Accept/Reject, if any. */
  request: PairingRequest | null;
  last: PairingDone | null;
  start(): Promise<void>;
  cancel(): Promise<void>;
  answer(accept: boolean): Promise<void>;
  onRequest(r: PairingRequest): void;
  onDone(d: PairingDone): void;
}

export const usePairing = create<PairingState>()((set, get) => ({
  invite: null,
  request: null,
  last: null,
  start: async () => {
    try {
      set({ invite: await hub().startPairing(), last: null });
    } catch (err) {
      report(err);
    }
  },
  cancel: async () => {
    set({ invite: null });
    try {
      await hub().cancelPairing();
    } catch (err) {
      report(err);
    }
  },
  answer: async (accept) => {
    const req = get().request;
    if (!req) return;
    set({ request: null });
    try {
      await hub().answerPairing({ requestId: req.requestId, accept });
    } catch (err) {
      report(err);
    }
  },
  onRequest: (request) => set({ request }),
  onDone: (last) =>
    set((s) => ({
      last,
      request: s.request?.requestId === last.requestId ? null : s.request,
      invite: last.accepted ? null : s.invite,
    })),
}));
