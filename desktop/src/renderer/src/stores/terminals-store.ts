import { create } from "zustand";
import type { TerminalInfo } from "../../../hub/api";
import { hub } from "../hub-ref";
import { WINDOW_SCREEN } from "../window-screen";
import { report } from "./ui-store";

/** Size a new terminal starts with before the view fits it to its box. */
export const INITIAL_TERMINAL = { cols: 100, rows: 30 };

interface TerminalsState {
  terminals: TerminalInfo[];
  active: string | null;
  load(): Promise<void>;
  open(): Promise<void>;
  close(id: string): Promise<void>;
  activate(id: string): void;
  onExit(id: string): void;
}

export const useTerminals = create<TerminalsState>()((set, get) => ({
  terminals: [],
  active: null,
  load: async () => {
    try {
      const terminals = await hub().listTerminals();
      set({ terminals, active: get().active ?? terminals[0]?.id ?? null });
    } catch (err) {
      report(err);
    }
  },
  open: async () => {
    try {
      const t = await hub().openTerminal({ ...INITIAL_TERMINAL, screen: WINDOW_SCREEN });
      set((s) => ({ terminals: [...s.terminals, t], active: t.id }));
    } catch (err) {
      report(err);
    }
  },
  close: async (id) => {
    try {
      await hub().closeTerminal({ id });
    } catch (err) {
      report(err);
    }
    set((s) => {
      const terminals = s.terminals.filter((t) => t.id !== id);
      return { terminals, active: s.active === id ? (terminals[0]?.id ?? null) : s.active };
    });
  },
  activate: (active) => set({ active }),
  onExit: (id) => set((s) => ({ terminals: s.terminals.map((t) => (t.id === id ? { ...t, alive: false } : t)) })),
}));
