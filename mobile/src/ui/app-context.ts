import { createContext, useContext } from "react";
import type { StoreApi } from "zustand/vanilla";
import type { AppState } from "../stores/app-store";
import type { KeyValue } from "../storage/kv";
import type { PairingState } from "../stores/pairing-store";

export interface AppStores {
  app: StoreApi<AppState>;
  pairing: StoreApi<PairingState>;
  /** The phone's local storage, for parts that keep their own data (the shared documents' cache). */
  kv: KeyValue;
  /** The name other editors and the desktop see for this phone. */
  phoneName: string;
}

export const AppContext = createContext<AppStores | null>(null);

/** The app's stores; only components under <AppContext.Provider> may call this. */
export function useAppStores(): AppStores {
  const stores = useContext(AppContext);
  if (!stores) throw new Error("AppContext is missing");
  return stores;
}
