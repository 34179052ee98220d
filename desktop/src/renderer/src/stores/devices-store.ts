import { create } from "zustand";
import type { Capability, DeviceInfo, DeviceRiskPolicy } from "../../../hub/api";
import { hub } from "../hub-ref";
import { report } from "./ui-store";

interface DevicesState {
  devices: DeviceInfo[];
  load(): Promise<void>;
  rename(device: string, name: string): Promise<void>;
  revoke(device: string): Promise<void>;
  setCaps(device: string, caps: Capability[]): Promise<void>;
  setPolicy(device: string, policy: DeviceRiskPolicy): Promise<void>;
  apply(devices: DeviceInfo[]): void;
}

function replace(list: DeviceInfo[], d: DeviceInfo): DeviceInfo[] {
  return list.map((x) => (x.id === d.id ? d : x));
}

export const useDevices = create<DevicesState>()((set) => ({
  devices: [],
  load: async () => {
    try {
      set({ devices: await hub().listDevices() });
    } catch (err) {
      report(err);
    }
  },
  rename: async (device, name) => {
    try {
      const d = await hub().renameDevice({ device, name });
      set((s) => ({ devices: replace(s.devices, d) }));
    } catch (err) {
      report(err);
    }
  },
  revoke: async (device) => {
    try {
      await hub().revokeDevice({ device });
      set((s) => ({ devices: s.devices.filter((d) => d.id !== device) }));
    } catch (err) {
      report(err);
    }
  },
  setCaps: async (device, caps) => {
    try {
      const d = await hub().setDeviceCaps({ device, caps });
      set((s) => ({ devices: replace(s.devices, d) }));
    } catch (err) {
      report(err);
    }
  },
  setPolicy: async (device, policy) => {
    try {
      const d = await hub().setDevicePolicy({ device, policy });
      set((s) => ({ devices: replace(s.devices, d) }));
    } catch (err) {
      report(err);
    }
  },
  apply: (devices) => set({ devices }),
}));
