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
  /** Set when the link to the hub is gone; the app shows a blocking banner. */
  disconnected: string | null;
  go(section: Section): void;
  setTheme(theme: ThemeChoice): void;
  toggleHelp(open?: boolean): void;
  notify(text: string | null): void;
  setDisconnected(reason: string): void;
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
  go: (section) => set({ section }),
  setTheme: (theme) => {
    localStorage.setItem(THEME_KEY, theme);
    set({ theme });
  },
  toggleHelp: (open) => set((s) => ({ helpOpen: open ?? !s.helpOpen })),
  notify: (notice) => set({ notice }),
  setDisconnected: (disconnected) => set({ disconnected }),
}));

/** Shows a failed call to the person; every store action funnels errors here. */
export function report(err: unknown): void {
  useUi.getState().notify(err instanceof Error ? err.message : String(err));
}
