import { create } from "zustand";
import type { Section } from "../sections";

export type ThemeChoice = "system" | "light" | "dark";
const THEME_KEY = "nlink.theme";
/** How long an error notice stays before it fades by itself. */
export const NOTICE_MS = 6000;

interface UiState {
  section: Section;
  theme: ThemeChoice;
  helpOpen: boolean;
  notice: string | null;
  /** Set when the link to the hub is gone; the app shows a banner, and hub-side status (relay, devices) as unknown. */
  disconnected: string | null;
  /** Counts reconnections to the hub: screens keyed by it reload their data after one. */
  epoch: number;
  go(section: Section): void;
  setTheme(theme: ThemeChoice): void;
  toggleHelp(open?: boolean): void;
  notify(text: string | null): void;
  setDisconnected(reason: string): void;
  /** The link is (back) up; `reconnected` bumps the epoch so screens reload what they missed. */
  setConnected(reconnected: boolean): void;
}

function storedTheme(): ThemeChoice {
  const t = localStorage.getItem(THEME_KEY);
  return t === "light" || t === "dark" ? t : "system";
}

export const useUi = create<UiState>()((set) => ({
  section: "messages",
  theme: storedTheme(),
  helpOpen: false,
  notice: null,
  disconnected: null,
  epoch: 0,
  go: (section) => set({ section }),
  setTheme: (theme) => {
    localStorage.setItem(THEME_KEY, theme);
    set({ theme });
  },
  toggleHelp: (open) => set((s) => ({ helpOpen: open ?? !s.helpOpen })),
  notify: (notice) => set({ notice }),
  setDisconnected: (disconnected) => set({ disconnected }),
  setConnected: (reconnected) => set((s) => ({ disconnected: null, epoch: reconnected ? s.epoch + 1 : s.epoch })),
}));

/** Shows a failed call to the person; every store action funnels errors here. */
export function report(err: unknown): void {
  useUi.getState().notify(err instanceof Error ? err.message : String(err));
}
