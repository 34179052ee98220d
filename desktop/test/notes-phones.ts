import { DocName, type NotesMessageData, DocSyncSession, NotesType, MemoryChannel } from "@neural-link/shared/sync";
import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import type { NotesSendTo, NotesService } from "../src/hub/notes/notes-service";

/**
 * Phones simulated with the shared sync code, in Node, for the documents'
 * tests and benchmark: each has its own Y.Doc and a real client
 * `DocSyncSession`; the "network" is a pair of in-memory channels per phone
 * (JSON round trip, in order), moved by `settle()`.
 */
export class NotesPhone {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  readonly toHub: MemoryChannel;
  readonly toPhone: MemoryChannel;
  readonly errors: string[] = [];
  session: DocSyncSession | null = null;

  constructor(
    readonly id: string,
    private readonly net: NotesNetwork,
    readonly docName: DocName = DocName.NOTES,
  ) {
    this.awareness.setLocalState({ user: { name: id.slice(0, 8), colour: "#123456", device: id } });
    this.toHub = new MemoryChannel((t, d) => void net.service().handleMessage(id, t, d));
    this.toPhone = new MemoryChannel((t, d) => this.session?.receive(t, d));
  }

  get text(): Y.Text {
    return this.doc.getText("notes");
  }

  /** Comes online: a new session opens with sync step 1. */
  connect(): void {
    this.session?.close();
    this.toPhone.online = true;
    this.toHub.online = true;
    this.session = new DocSyncSession({
      name: this.docName,
      doc: this.doc,
      awareness: this.awareness,
      role: "client",
      send: this.toHub.send,
    });
    this.session.onPeerError((e) => this.errors.push(e.code));
    this.session.start();
  }

  /** Goes offline: the session closes, and the hub hears of it (PRESENCE) and closes its side. */
  disconnect(): void {
    this.session?.close();
    this.session = null;
    this.toHub.online = false;
    this.toPhone.online = false;
    this.toPhone.clear();
    this.net.service().closePeer(this.id);
  }

  destroy(): void {
    this.session?.close();
    this.awareness.destroy();
    this.doc.destroy();
  }
}

export class NotesNetwork {
  readonly phones = new Map<string, NotesPhone>();
  private current: NotesService | null = null;

  /** Every `notes.error` the hub sent, to whom, with which code. */
  readonly hubErrors: { to: string; doc: string; code: string }[] = [];

  /** The hub's send port: routes to the phone's inbound channel. */
  readonly send: NotesSendTo = (toDevice, t, d, qos) => {
    if (t === NotesType.ERROR) {
      const e = d as NotesMessageData[typeof NotesType.ERROR];
      this.hubErrors.push({ to: toDevice, doc: e.doc, code: e.code });
    }
    this.phones.get(toDevice)?.toPhone.send(t as NotesType, d, qos);
  };

  attach(service: NotesService): void {
    this.current = service;
  }

  service(): NotesService {
    if (!this.current) throw new Error("no hub attached");
    return this.current;
  }

  phone(id: string, docName?: DocName): NotesPhone {
    const p = new NotesPhone(id, this, docName);
    this.phones.set(id, p);
    return p;
  }

  /** Moves messages both ways until nothing is in flight. */
  async settle(): Promise<void> {
    for (let round = 0; round < 1000; round++) {
      let moved = 0;
      for (const p of this.phones.values()) moved += p.toHub.flush();
      await this.service().flush();
      for (const p of this.phones.values()) moved += p.toPhone.flush();
      if (moved === 0) return;
    }
    throw new Error("the network did not settle");
  }
}
