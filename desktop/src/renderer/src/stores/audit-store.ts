import { create } from "zustand";
import type { AuditEntry } from "../../../hub/api";
import { hub } from "../hub-ref";
import { report } from "./ui-store";

/** Audit entries fetched per page. */
export const AUDIT_PAGE = 100;

interface AuditState {
  entries: AuditEntry[];
  load(): Promise<void>;
  more(): Promise<void>;
  onEntry(e: AuditEntry): void;
}

export const useAudit = create<AuditState>()((set, get) => ({
  entries: [],
  load: async () => {
    try {
      set({ entries: await hub().listAudit({ limit: AUDIT_PAGE }) });
    } catch (err) {
      report(err);
    }
  },
  more: async () => {
    const last = get().entries.at(-1);
    if (!last) return;
    try {
      const page = await hub().listAudit({ before: last.ts, limit: AUDIT_PAGE });
      set((s) => ({ entries: [...s.entries, ...page.filter((e) => !s.entries.some((x) => x.id === e.id))] }));
    } catch (err) {
      report(err);
    }
  },
  onEntry: (e) => set((s) => (s.entries.some((x) => x.id === e.id) ? s : { entries: [e, ...s.entries] })),
}));
