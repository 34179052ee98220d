import { create } from "zustand";
import type { WorkspaceGrant } from "../../../hub/api";
import { hub } from "../hub-ref";
import { report } from "./ui-store";

interface GrantsState {
  /** Workspace grants by device id, as last heard from the hub. */
  byDevice: Record<string, WorkspaceGrant[]>;
  load(device: string): Promise<void>;
  /** Resolves with the hub's refusal in words, or null once granted. */
  grant(device: string, path: string): Promise<string | null>;
  revoke(device: string, path: string): Promise<void>;
  onChange(e: { device: string; grants: WorkspaceGrant[] }): void;
}

export const useGrants = create<GrantsState>()((set, get) => ({
  byDevice: {},
  load: async (device) => {
    try {
      get().onChange({ device, grants: await hub().listWorkspaceGrants({ device }) });
    } catch (err) {
      report(err);
    }
  },
  grant: async (device, path) => {
    try {
      await hub().grantWorkspace({ device, path });
      await get().load(device);
      return null;
    } catch (err) {
      // Shown beside the field: the person fixes the path there.
      return err instanceof Error ? err.message : String(err);
    }
  },
  revoke: async (device, path) => {
    try {
      await hub().revokeWorkspace({ device, path });
      set((s) => ({
        byDevice: { ...s.byDevice, [device]: (s.byDevice[device] ?? []).filter((g) => g.path !== path) },
      }));
    } catch (err) {
      report(err);
    }
  },
  onChange: ({ device, grants }) => set((s) => ({ byDevice: { ...s.byDevice, [device]: grants } })),
}));
