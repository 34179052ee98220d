import type { Logger } from "pino";
import { auditWords, type AuditLookups } from "./audit-words";
import type { AuditEntry as UiAuditEntry } from "./api";
import type { HubEmitter } from "./hub-events";
import type { AuditEntry, Store } from "./store";

/** Entries the UI gets when it names no page size. */
const UI_PAGE_DEFAULT = 100;
/** Entries read per store query while paging by time. */
const SCAN_PAGE = 200;

/** The actor name of the person at this desktop. */
export const DESKTOP_ACTOR = "desktop";

/**
 * Writes security-relevant actions to the append-only audit log and tells
 * the UI. Details hold ids, names and commands, never keys or tokens.
 */
export class AuditLog {
  constructor(
    private readonly store: Store,
    private readonly events: HubEmitter,
    private readonly log: Logger,
  ) {}

  async record(actor: string, action: string, subject?: string, detail?: Record<string, unknown>): Promise<void> {
    try {
      const entry = await this.store.audit.append({
        actor,
        action,
        ...(subject ? { subject } : {}),
        ...(detail ? { detail } : {}),
      });
      this.events.emit("audit", await this.toUi(entry));
    } catch (err) {
      // The action already happened; failing it now would be worse than a missing line.
      this.log.error({ err, action }, "audit append failed");
    }
  }

  /** Newest first, older than `before` (ms) when given: the UI pages by time, the store by id. */
  async listForUi(before: number | undefined, limit = UI_PAGE_DEFAULT): Promise<UiAuditEntry[]> {
    const out: UiAuditEntry[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await this.store.audit.list({ limit: SCAN_PAGE, ...(cursor ? { before: cursor } : {}) });
      for (const e of page)
        if (out.length < limit && (before === undefined || e.at < before)) out.push(await this.toUi(e));
      if (out.length >= limit || page.length === 0) return out;
      cursor = page[page.length - 1]!.id;
    }
  }

  async toUi(e: AuditEntry): Promise<UiAuditEntry> {
    const actorName = await this.lookups.deviceName(e.actor);
    const parts = [
      e.subject,
      ...Object.entries(e.detail ?? {}).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`),
    ];
    const words = await auditWords(e, this.lookups);
    return {
      id: e.id,
      ts: e.at,
      actor: e.actor,
      actorName,
      action: e.action,
      detail: parts.filter(Boolean).join(", "),
      ...words,
    };
  }

  /** Names and commands for the audit lines, read from the store. */
  private readonly lookups: AuditLookups = {
    command: async (task) => (await this.store.tasks.get(task))?.command ?? null,
    deviceName: async (id) => {
      if (id === DESKTOP_ACTOR) return "This desktop";
      if (id === "hub") return "The hub";
      return (await this.store.devices.get(id))?.name ?? `device ${id.slice(0, 8)}`;
    },
  };
}
