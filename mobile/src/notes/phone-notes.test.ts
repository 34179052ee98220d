import { DocName, DocSyncSession, type NotesType, MemoryChannel } from "@neural-link/shared/sync";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { memoryKeyValue } from "../storage/kv";
import type { DocLink } from "./notes-link";
import { PhoneNotes } from "./phone-notes";

const HUB = "h".repeat(43);

/**
 * The hub's side, run with the real shared server session (the hub's own
 * NotesService is tested in desktop/; the phone app cannot import it).
 * A link that drops closes the hub's session, as PRESENCE would.
 */
class HubSide implements DocLink {
  readonly doc = new Y.Doc();
  private session: DocSyncSession | null = null;
  private readonly toHub = new MemoryChannel((t, d) => this.serverSession().receive(t, d));
  private readonly toPhone = new MemoryChannel((t, d) => {
    for (const l of [...this.messageListeners]) l(t, d);
  });
  private readonly messageListeners = new Set<(t: NotesType, d: unknown) => void>();
  private readonly stateListeners = new Set<(s: { online: boolean; epoch: number }) => void>();
  private current = { online: false, epoch: 0 };

  send = (t: NotesType, d: unknown, qos: 0 | 1) => this.toHub.send(t, d as never, qos);
  onMessage = (l: (t: NotesType, d: unknown) => void) => (
    this.messageListeners.add(l),
    () => void this.messageListeners.delete(l)
  );
  state = () => this.current;
  onState = (l: (s: { online: boolean; epoch: number }) => void) => (
    this.stateListeners.add(l),
    () => void this.stateListeners.delete(l)
  );

  setOnline(online: boolean): void {
    this.current = { online, epoch: this.current.epoch + (online ? 1 : 0) };
    this.toHub.online = online;
    this.toPhone.online = online;
    if (!online) {
      this.toPhone.clear();
      this.session?.close();
      this.session = null;
    }
    for (const l of [...this.stateListeners]) l(this.current);
  }

  settle(): void {
    while (this.toHub.flush() + this.toPhone.flush() > 0);
  }

  private serverSession(): DocSyncSession {
    if (!this.session) {
      this.session = new DocSyncSession({
        name: DocName.NOTES,
        doc: this.doc,
        role: "server",
        send: this.toPhone.send,
      });
      this.session.start();
    }
    return this.session;
  }
}

const open: PhoneNotes[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
});

async function phoneDoc(link: DocLink, kv = memoryKeyValue()) {
  const d = await PhoneNotes.open({
    name: DocName.NOTES,
    link,
    kv,
    hubDevice: HUB,
    user: { name: "Pixel", device: "p".repeat(43) },
    cacheWriteDelayMs: 5,
  });
  open.push(d);
  return d;
}

describe("PhoneNotes", () => {
  it("edits offline are kept in the cache across a restart of the app, then merge with the hub's", async () => {
    const hub = new HubSide();
    const kv = memoryKeyValue();
    hub.doc.getText("notes").insert(0, "from the desk\n");
    let phone = await phoneDoc(hub, kv);
    expect(phone.getState().online).toBe(false);
    phone.setText("written on the train\n");
    await phone.close();
    open.pop();

    phone = await phoneDoc(hub, kv); // the tab reopened, still offline
    expect(phone.getState().text).toBe("written on the train\n");
    hub.setOnline(true);
    hub.settle();
    const merged = hub.doc.getText("notes").toString();
    expect(merged).toContain("from the desk\n");
    expect(merged).toContain("written on the train\n");
    expect(phone.getState()).toMatchObject({ text: merged, online: true, synced: true, error: null });
  });

  it("goes live while online, and resyncs what both sides wrote during a gap", async () => {
    const hub = new HubSide();
    hub.setOnline(true);
    const phone = await phoneDoc(hub);
    hub.settle();
    phone.setText("one\n");
    hub.settle();
    expect(hub.doc.getText("notes").toString()).toBe("one\n");
    hub.setOnline(false);
    expect(phone.getState().online).toBe(false);
    phone.setText("one\nphone two\n");
    hub.doc.getText("notes").insert(0, "hub zero\n");
    hub.setOnline(true);
    hub.settle();
    expect(phone.getState().text).toBe("hub zero\none\nphone two\n");
    expect(hub.doc.getText("notes").toString()).toBe(phone.getState().text);
  });

  it("ignores messages about other documents and reports refused ones", async () => {
    const hub = new HubSide();
    hub.setOnline(true);
    const phone = await phoneDoc(hub);
    hub.settle();
    const listeners = (hub as unknown as { messageListeners: Set<(t: NotesType, d: unknown) => void> })
      .messageListeners;
    for (const l of listeners) l("notes.sync", { doc: "drafts", data: "AAA" });
    expect(phone.getState().error).toBeNull();
    for (const l of listeners) l("notes.sync", { doc: "notes", data: "@@" });
    expect(phone.getState().error).toMatch(/refused \(bad_message\)/);
    for (const l of listeners) l("notes.error", { doc: "notes", code: "forbidden", message: "no" });
    expect(phone.getState().error).toMatch(/may not edit/);
  });
});
