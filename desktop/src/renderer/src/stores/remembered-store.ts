import { create } from "zustand";
import type { RememberedApprovalInfo } from "../../../hub/api";
import { hub } from "../hub-ref";
import { report } from "./ui-store";

/** Audit actions after which the remembered approvals are fetched again. */
export const REMEMBERED_ACTIONS: ReadonlySet<string> = new Set([
  "approval.remembered",
  "approval.forgotten",
  "device.revoked",
]);

interface RememberedState {
  /** Every device's approvals remembered for today, still in force. */
  list: RememberedApprovalInfo[];
  load(): Promise<void>;
  /** Forgets one (by digest) or every remembered approval of the device. */
  forget(device: string, digest?: string): Promise<void>;
}

export const useRemembered = create<RememberedState>()((set, get) => ({
  list: [],
  load: async () => {
    try {
      set({ list: await hub().listRememberedApprovals() });
    } catch (err) {
      report(err);
    }
  },
  forget: async (device, digest) => {
    try {
      await hub().forgetRememberedApproval({ device, ...(digest ? { digest } : {}) });
      await get().load();
    } catch (err) {
      report(err);
    }
  },
}));
