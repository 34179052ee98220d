import type { FileTransfer } from "@neural-link/shared/app";
import type { FileSettingsView } from "../api";
import { DESKTOP_ACTOR, type AuditLog } from "../audit-log";
import { HubError } from "../hub-error";
import type { Store } from "../store";
import { FileError } from "./file-error";
import type { FileService } from "./file-service";

const asHubError = (err: unknown): unknown =>
  err instanceof FileError ? new HubError(err.code === "too_large" ? "bad_params" : err.code, err.message) : err;

/**
 * The desktop UI's side of files (docs/hub.md, "Files"): the landing folder
 * and size limit settings, and the list of recent transfers of every device.
 * Kept out of hub-node.ts, which only delegates here.
 */
export function fileApi(files: FileService, store: Store, audit: AuditLog) {
  return {
    async getFileSettings(): Promise<FileSettingsView> {
      const s = await files.settings();
      return { landingDir: s.landingDir, maxFileBytes: s.maxFileBytes };
    },
    async updateFileSettings(p: Partial<FileSettingsView>): Promise<FileSettingsView> {
      try {
        if (p.landingDir !== undefined)
          await store.settings.set("fileLandingDir", await files.checkLanding(p.landingDir));
        if (p.maxFileBytes !== undefined) await store.settings.set("fileMaxBytes", p.maxFileBytes);
      } catch (err) {
        throw asHubError(err);
      }
      await audit.record(DESKTOP_ACTOR, "settings.updated", undefined, { keys: Object.keys(p) });
      return this.getFileSettings();
    },
    listFileTransfers(): Promise<FileTransfer[]> {
      return files.recent(undefined);
    },
  };
}
