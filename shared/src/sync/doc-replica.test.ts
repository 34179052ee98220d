import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { type DocLink, DocReplica } from "./doc-replica";
import { MemoryChannel } from "./memory-channel";
import { DocName, type NotesType } from "./messages";
import { DocSyncSession } from "./session";
import { Awareness } from "y-protocols/awareness";

/** A hub with the real server session per replica, over in-memory channels that a test moves. */
function hubWith(n: number) {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  const channels: MemoryChannel[] = [];
  const links: (DocLink & { setOnline(online: boolean): void })[] = [];
  for (let i = 0; i < n; i++) {
    let session: DocSyncSession | null = null;
    const listeners = new Set<(t: NotesType, d: unknown) => void>();
    const stateListeners = new Set<(s: { online: boolean; epoch: number }) => void>();
    let state = { online: true, epoch: 1 };
    const toPhone = new MemoryChannel((t, d) => listeners.forEach((l) => l(t, d)));
    const toHub = new MemoryChannel((t, d) => {
      if (!session) {
        session = new DocSyncSession({ name: DocName.NOTES, doc, awareness, role: "server", send: toPhone.send });
        session.start();
      }
      session.receive(t, d);
    });
    channels.push(toHub, toPhone);
    links.push({
      send: toHub.send,
      onMessage: (l) => (listeners.add(l), () => void listeners.delete(l)),
      state: () => state,
      onState: (l) => (stateListeners.add(l), () => void stateListeners.delete(l)),
      setOnline(online) {
        state = { online, epoch: state.epoch + (online ? 1 : 0) };
        toHub.online = toPhone.online = online;
        if (!online) {
          session?.close();
          session = null;
        }
        stateListeners.forEach((l) => l(state));
      },
    });
  }
  return {
    doc,
    links,
    settle: () => {
      while (channels.reduce((m, c) => m + c.flush(), 0) > 0);
    },
    destroy: () => (awareness.destroy(), doc.destroy()),
  };
}

const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

function replica(link: DocLink, name: string): DocReplica {
  const r = new DocReplica({ name: DocName.NOTES, link, user: { name, device: `${name}-device` } });
  r.start();
  cleanup.push(() => r.destroy());
  return r;
}

describe("DocReplica", () => {
  it("moves other editors' cursors with the text, without waiting for their next awareness update", () => {
    const hub = hubWith(2);
    cleanup.push(hub.destroy);
    const a = replica(hub.links[0]!, "alice");
    const b = replica(hub.links[1]!, "bob");
    hub.settle();
    a.setText("0123456789");
    hub.settle();
    a.setCursor({ anchor: 5, head: 5 });
    hub.settle();
    expect(b.getState().editors.find((e) => e.name === "alice")?.head).toBe(5);
    hub.doc.getText("notes").insert(0, "abc");
    hub.settle();
    expect(b.getState().text).toBe("abc0123456789");
    expect(b.getState().editors.find((e) => e.name === "alice")?.head).toBe(8);
  });

  it("keeps edits made offline and hands them over on the next connection", () => {
    const hub = hubWith(1);
    cleanup.push(hub.destroy);
    const a = replica(hub.links[0]!, "alice");
    hub.settle();
    expect(a.getState()).toMatchObject({ online: true, synced: true });
    hub.links[0]!.setOnline(false);
    a.setText("offline words");
    hub.doc.getText("notes").insert(0, "hub words ");
    expect(a.getState()).toMatchObject({ online: false, synced: false, text: "offline words" });
    hub.links[0]!.setOnline(true);
    hub.settle();
    // Both were typed at index 0 concurrently: Yjs orders them by client id, either way round.
    const text = a.getState().text;
    expect(["hub words offline words", "offline wordshub words "]).toContain(text);
    expect(hub.doc.getText("notes").toString()).toBe(text);
  });
});
