import { create } from "zustand";
import type { FileTransfer } from "@neural-link/shared/app";
import type { FileSettingsView } from "../../../hub/api";
import { hub } from "../hub-ref";
import { report } from "./ui-store";

/** How often the list of transfers is read again while one is under way (its progress), ms. */
export const TRANSFER_REFRESH_MS = 1000;

interface FilesState {
  settings: FileSettingsView | null;
  transfers: FileTransfer[];
  saved: boolean;
  load(): Promise<void>;
  loadTransfers(): Promise<void>;
  update(p: Partial<FileSettingsView>): Promise<boolean>;
}

/** Files from phones: the landing folder and size limit, and the recent transfers of every device. */
export const useFiles = create<FilesState>()((set) => ({
  settings: null,
  transfers: [],
  saved: false,
  load: async () => {
    try {
      const [settings, transfers] = await Promise.all([hub().getFileSettings(), hub().listFileTransfers()]);
      set({ settings, transfers, saved: false });
    } catch (err) {
      report(err);
    }
  },
  loadTransfers: async () => {
    try {
      set({ transfers: await hub().listFileTransfers() });
    } catch (err) {
      report(err);
    }
  },
  update: async (p) => {
    try {
      set({ settings: await hub().updateFileSettings(p), saved: true });
      return true;
    } catch (err) {
      report(err);
      return false;
    }
  },
}));
