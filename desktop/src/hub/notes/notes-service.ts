import {
  DocName,
  type NotesMessageData,
  docNameSchema,
  DocSyncError,
  type DocSyncErrorCode,
  DocSyncSession,
  NotesType,
  isNotesType,
} from "@neural-link/shared/sync";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Database } from "../store/schema";
import { z } from "zod";
import { NotesStore } from "./notes-store";
import { NOTES_DEFAULTS, type NotesSettings } from "./notes-settings";
import { LiveDoc } from "./live-doc";
import { LocalPad } from "./local-pad";
import { isStep1 } from "./peek";

/** Sends one document message to a paired device (the hub integrator wires it to the encrypted link). */
export type NotesSendTo = <T extends NotesType>(toDevice: string, t: T, d: NotesMessageData[T], qos: 0 | 1) => void;

export interface NotesServiceOptions {
  /** The hub store's Kysely handle (`store.db`); migration 050 made the tables. */
  db: Kysely<Database>;
  /** Whether a paired device holds the `doc` capability now (asked for every message, so a revoke acts at once). */
  canAccess: (device: string) => boolean | Promise<boolean>;
  send: NotesSendTo;
  log: Logger;
  settings?: Partial<NotesSettings>;
  now?: () => number;
  /** How the person at this desktop appears to others while editing. */
  localUser: { name: string; colour?: string };
}

const routeSchema = z.object({ doc: docNameSchema });

/**
 * The hub's documents: the home copy of each, in SQLite, served by Yjs sync
 * to every paired device with the `doc` capability, one `DocSyncSession` per
 * (document, device). Messages are handled one at a time in arrival order.
 *
 * @example
 * const docs = await NotesService.open({ db: store.db, canAccess, send, log, localUser: { name: "Desk" } });
 * endpoint.on("message", (m) => { if (isNotesType(m.t)) void docs.handleMessage(m.from, m.t, m.d); });
 */
export class NotesService {
  private readonly sessions = new Map<string, { peer: string; doc: DocName; session: DocSyncSession }>();
  private readonly pads = new Map<DocName, LocalPad>();
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly options: NotesServiceOptions,
    private readonly settings: NotesSettings,
    private readonly docs: Map<DocName, LiveDoc>,
    private readonly log: Logger,
  ) {
    for (const [name, live] of docs) this.pads.set(name, new LocalPad(live, options.localUser));
  }

  static async open(options: NotesServiceOptions): Promise<NotesService> {
    const settings: NotesSettings = { ...NOTES_DEFAULTS, ...options.settings };
    const log = options.log.child({ mod: "hub/notes" });
    const store = new NotesStore(options.db, options.now ?? Date.now);
    const docs = new Map<DocName, LiveDoc>();
    for (const name of settings.documents) docs.set(name, await LiveDoc.open(name, store, settings, log));
    return new NotesService(options, settings, docs, log);
  }

  /** The local editing API of one document, for the desktop UI and the hub's own code. */
  pad(doc: DocName = DocName.NOTES): LocalPad {
    const pad = this.pads.get(doc);
    if (!pad) throw new DocSyncError("unknown_doc", `this hub does not serve ${doc}`);
    return pad;
  }

  /**
   * Handles a `notes.*` message from a paired device. Never throws: a refused
   * message is answered with `notes.error` and logged (without content).
   */
  handleMessage(fromDevice: string, t: string, d: unknown): Promise<void> {
    const run = () => this.handle(fromDevice, t, d, false);
    this.queue = this.queue.then(run, run);
    return this.queue;
  }

  /**
   * A peer that is not a paired device but part of this desktop (the renderer's
   * notes pad, reached through the UI bridge): no capability check.
   */
  connectLocal(
    peer: string,
    send: (t: NotesType, d: unknown, qos: 0 | 1) => void,
  ): { receive(t: string, d: unknown): Promise<void>; close(): void } {
    const id = `local:${peer}`;
    this.localSends.set(id, send);
    return {
      receive: (t, d) => {
        const run = () => this.handle(id, t, d, true);
        this.queue = this.queue.then(run, run);
        return this.queue;
      },
      close: () => {
        this.closePeer(id);
        this.localSends.delete(id);
      },
    };
  }

  /** The device went offline or was revoked: stop syncing with it (it resyncs with step 1 when back). */
  closePeer(device: string): void {
    for (const [key, s] of this.sessions) {
      if (s.peer !== device) continue;
      s.session.close();
      this.sessions.delete(key);
    }
  }

  /** Resolves when every message so far is handled and every update is in the store. */
  async flush(): Promise<void> {
    await this.queue;
    for (const live of this.docs.values()) await live.flush();
  }

  async close(): Promise<void> {
    await this.queue;
    for (const s of this.sessions.values()) s.session.close();
    this.sessions.clear();
    for (const pad of this.pads.values()) pad.dispose();
    for (const live of this.docs.values()) await live.close();
  }

  private readonly localSends = new Map<string, (t: NotesType, d: unknown, qos: 0 | 1) => void>();

  private sendTo(peer: string, t: NotesType, d: NotesMessageData[NotesType], qos: 0 | 1): void {
    const local = this.localSends.get(peer);
    if (local) local(t, d, qos);
    else this.options.send(peer, t, d as never, qos);
  }

  private async handle(peer: string, t: string, d: unknown, local: boolean): Promise<void> {
    const route = routeSchema.safeParse(d);
    const docName = route.success ? route.data.doc : null;
    try {
      if (!isNotesType(t)) throw new DocSyncError("bad_message", "not a document message type");
      if (!docName) throw new DocSyncError("bad_message", "document message without a valid doc name");
      if (!local && !(await this.options.canAccess(peer))) {
        this.closePeer(peer);
        throw new DocSyncError("forbidden", "this device may not use shared documents");
      }
      const live = this.docs.get(docName as DocName);
      if (!live) throw new DocSyncError("unknown_doc", `this hub does not serve ${docName}`);
      if (t === NotesType.ERROR) return; // hub to device only; a device's report is of no use here
      this.sessionFor(peer, live, t, d).receive(t, d);
    } catch (err) {
      await this.refuse(peer, docName, err);
    }
  }

  private sessionFor(peer: string, live: LiveDoc, t: NotesType, d: unknown): DocSyncSession {
    const key = `${live.name}\u0000${peer}`;
    const known = this.sessions.get(key);
    if (known) return known.session;
    const session = new DocSyncSession({
      name: live.name,
      doc: live.doc,
      awareness: live.awareness,
      role: "server",
      send: (st, sd, qos) => this.sendTo(peer, st, sd, qos),
      settings: this.settings.sync,
      ...(this.options.now ? { now: this.options.now } : {}),
      apply: (update, origin) => live.applyRemote(update, origin),
    });
    this.sessions.set(key, { peer, doc: live.name as DocName, session });
    session.start();
    // A peer that did not open with step 1 (the hub restarted under it) is asked for what it has.
    if (!(t === NotesType.SYNC && isStep1(d))) session.requestSync();
    return session;
  }

  private async refuse(peer: string, doc: string | null, err: unknown): Promise<void> {
    const code: DocSyncErrorCode = err instanceof DocSyncError ? err.code : "internal";
    if (code === "internal") this.log.error({ peer, doc, err: String(err) }, "document message failed");
    else this.log.warn({ peer, doc, code, reason: (err as Error).message }, "document message refused");
    if (doc) {
      const live = this.docs.get(doc as DocName);
      if (live?.broken) await this.reload(live);
      this.sendTo(peer, NotesType.ERROR, { doc, code, message: (err as Error).message.slice(0, 200) }, 0);
    }
  }

  /** A peer's update broke the live document: rebuild it from the store and make every peer resync. */
  private async reload(live: LiveDoc): Promise<void> {
    for (const [key, s] of this.sessions) {
      if (s.doc !== live.name) continue;
      s.session.close();
      this.sessions.delete(key);
    }
    await live.reload();
    this.log.warn({ doc: live.name }, "document reloaded from the store after a failed update");
  }
}
