import { create } from "zustand";
import type { HubStatus, SetupParams } from "../../../hub/api";
import { hub } from "../hub-ref";
import { report } from "./ui-store";

interface StatusState {
  status: HubStatus | null;
  load(): Promise<void>;
  setup(p: SetupParams): Promise<boolean>;
  apply(status: HubStatus): void;
}

export const useStatus = create<StatusState>()((set) => ({
  status: null,
  load: async () => {
    try {
      set({ status: await hub().getStatus() });
    } catch (err) {
      report(err);
    }
  },
  setup: async (p) => {
    try {
      set({ status: await hub().setup(p) });
      return true;
    } catch (err) {
      report(err);
      return false;
    }
  },
  apply: (status) => set({ status }),
}));
