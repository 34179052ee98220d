import { create } from "zustand";
import type { Settings } from "../../../hub/api";
import { hub } from "../hub-ref";
import { report } from "./ui-store";

interface SettingsState {
  settings: Settings | null;
  saved: boolean;
  load(): Promise<void>;
  update(p: Partial<Settings>): Promise<void>;
}

export const useSettings = create<SettingsState>()((set) => ({
  settings: null,
  saved: false,
  load: async () => {
    try {
      set({ settings: await hub().getSettings(), saved: false });
    } catch (err) {
      report(err);
    }
  },
  update: async (p) => {
    try {
      set({ settings: await hub().updateSettings(p), saved: true });
    } catch (err) {
      report(err);
    }
  },
}));
