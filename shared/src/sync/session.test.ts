import { Awareness } from "y-protocols/awareness";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { listEditors, setLocalCursor } from "./awareness-state";
import { DocSyncError } from "./errors";
import { MemoryChannel } from "./memory-channel";
import { NotesType } from "./messages";
import { DocSyncSession } from "./session";

interface Side {
  doc: Y.Doc;
  awareness: Awareness;
  text: Y.Text;
}

const made: Side[] = [];
function side(name: string): Side {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  awareness.setLocalState({ user: { name, colour: "#112233" } });
  const s = { doc, awareness, text: doc.getText("notes") };
  made.push(s);
  return s;
}
afterEach(() => {
  for (const s of made.splice(0)) {
    s.awareness.destroy();
    s.doc.destroy();
  }
});

/** A phone connected to the hub through two in-memory channels; each side runs a real session. */
function connect(hub: Side, phone: Side) {
  const toHub = new MemoryChannel((t, d) => hubSession.receive(t, d));
  const toPhone = new MemoryChannel((t, d) => phoneSession.receive(t, d));
  const hubSession = new DocSyncSession({
    name: "notes",
    doc: hub.doc,
    awareness: hub.awareness,
    role: "server",
    send: toPhone.send,
  });
  const phoneSession = new DocSyncSession({
    name: "notes",
    doc: phone.doc,
    awareness: phone.awareness,
    role: "client",
    send: toHub.send,
  });
  hubSession.start();
  phoneSession.start();
  return {
    hubSession,
    phoneSession,
    toHub,
    toPhone,
    flush: () => {
      while (toHub.flush() + toPhone.flush() > 0);
    },
    close: () => {
      phoneSession.close();
      hubSession.close();
    },
  };
}

describe("DocSyncSession", () => {
  it("brings a fresh phone up to date and marks it synced", () => {
    const hub = side("hub");
    hub.text.insert(0, "hello from the hub");
    const phone = side("phone");
    const link = connect(hub, phone);
    link.flush();
    expect(phone.text.toString()).toBe("hello from the hub");
    expect(link.phoneSession.synced).toBe(true);
    expect(link.hubSession.synced).toBe(true);
  });

  it("two phones and the hub editing concurrently online converge", () => {
    const hub = side("hub");
    const a = side("a");
    const b = side("b");
    const la = connect(hub, a);
    const lb = connect(hub, b);
    la.flush();
    lb.flush();
    // Edits made before any message moves: truly concurrent.
    hub.text.insert(0, "HUB ");
    a.text.insert(0, "alpha ");
    b.text.insert(0, "bravo ");
    a.text.insert(a.text.length, "end-a");
    for (let i = 0; i < 3; i++) {
      la.flush();
      lb.flush();
    }
    const content = hub.text.toString();
    expect(a.text.toString()).toBe(content);
    expect(b.text.toString()).toBe(content);
    for (const piece of ["HUB ", "alpha ", "bravo ", "end-a"]) expect(content).toContain(piece);
  });

  it("edits made offline on both phones and the hub merge on reconnect without loss", () => {
    const hub = side("hub");
    const a = side("a");
    const b = side("b");
    hub.text.insert(0, "shared start\n");
    let la = connect(hub, a);
    let lb = connect(hub, b);
    la.flush();
    lb.flush();
    la.close();
    lb.close();

    a.text.insert(a.text.length, "a offline 1\n");
    b.text.insert(0, "b offline\n");
    hub.text.insert(hub.text.length, "hub meanwhile\n");
    a.text.delete(0, "shared ".length);
    a.text.insert(a.text.length, "a offline 2\n");

    la = connect(hub, a);
    la.flush();
    lb = connect(hub, b);
    lb.flush();
    la.flush();
    const content = hub.text.toString();
    expect(a.text.toString()).toBe(content);
    expect(b.text.toString()).toBe(content);
    for (const piece of ["a offline 1\n", "a offline 2\n", "b offline\n", "hub meanwhile\n", "start\n"])
      expect(content).toContain(piece);
    expect(content).not.toContain("shared ");
  });

  it("qos 1 updates queued while a phone is unreachable arrive in order later", () => {
    const hub = side("hub");
    const phone = side("phone");
    const link = connect(hub, phone);
    link.flush();
    link.toPhone.online = false;
    for (let i = 0; i < 20; i++) hub.text.insert(hub.text.length, `${i},`);
    link.flush();
    expect(phone.text.toString()).toBe("");
    link.toPhone.online = true;
    link.flush();
    expect(phone.text.toString()).toBe(hub.text.toString());
  });

  it("shares who is editing and where their cursor is", () => {
    const hub = side("hub");
    const a = side("alice");
    const b = side("bob");
    const la = connect(hub, a);
    const lb = connect(hub, b);
    la.flush();
    lb.flush();
    a.text.insert(0, "0123456789");
    la.flush();
    lb.flush();
    setLocalCursor(a.awareness, a.text, { anchor: 4, head: 6 });
    la.flush();
    lb.flush();
    // Someone types before alice's cursor: it moves with the text it was on.
    b.text.insert(0, "xx");
    lb.flush();
    la.flush();
    const alice = listEditors(b.awareness, b.text).find((e) => e.name === "alice");
    expect(alice).toMatchObject({ anchor: 6, head: 8, self: false });
    expect(listEditors(hub.awareness, hub.text).map((e) => e.name)).toEqual(
      expect.arrayContaining(["hub", "alice", "bob"]),
    );
    // Alice's phone drops off: the hub's session closes and everyone forgets her.
    la.close();
    lb.flush();
    expect(listEditors(b.awareness, b.text).map((e) => e.name)).not.toContain("alice");
  });

  it("refuses a malformed update and leaves the document as it was", () => {
    const hub = side("hub");
    hub.text.insert(0, "keep me");
    const session = new DocSyncSession({ name: "notes", doc: hub.doc, role: "server", send: () => {} });
    session.start();
    const before = Y.encodeStateAsUpdate(hub.doc);
    // A y-protocols "update" message (type 2) whose payload is garbage.
    const garbage = new Uint8Array([2, 6, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    const send = () =>
      session.receive(NotesType.SYNC, { doc: "notes", data: Buffer.from(garbage).toString("base64url") });
    expect(send).toThrow(expect.objectContaining({ name: "DocSyncError", code: "bad_update" }));
    expect(hub.text.toString()).toBe("keep me");
    expect(Y.encodeStateAsUpdate(hub.doc)).toEqual(before);
  });

  it("refuses data that does not fit the schema, and messages for another document", () => {
    const hub = side("hub");
    const session = new DocSyncSession({ name: "notes", doc: hub.doc, role: "server", send: () => {} });
    const codeOf = (t: NotesType, d: unknown) => {
      try {
        session.receive(t, d);
        return "accepted";
      } catch (err) {
        return err instanceof DocSyncError ? err.code : "crash";
      }
    };
    expect(codeOf(NotesType.SYNC, { doc: "notes" })).toBe("bad_message");
    expect(codeOf(NotesType.SYNC, { doc: "notes", data: "!!" })).toBe("bad_message");
    expect(codeOf(NotesType.SYNC, { doc: "notes", data: "AAA=" })).toBe("bad_message");
    expect(codeOf(NotesType.SYNC, { doc: "drafts", data: "AAA" })).toBe("unknown_doc");
    expect(codeOf(NotesType.SYNC, { doc: "notes", data: "BwA" })).toBe("bad_message"); // type 7
    expect(codeOf(NotesType.AWARENESS, { doc: "notes", data: "_w" })).toBe("accepted"); // no awareness here: ignored
    expect(codeOf(NotesType.ERROR, { doc: "notes", code: "forbidden", message: "no" })).toBe("accepted");
  });

  it("tells the application when the peer refused something", () => {
    const phone = side("phone");
    const session = new DocSyncSession({ name: "notes", doc: phone.doc, role: "client", send: () => {} });
    const seen: string[] = [];
    session.onPeerError((e) => seen.push(e.code));
    session.receive(NotesType.ERROR, {
      doc: "notes",
      code: "forbidden",
      message: "this device may not edit documents",
    });
    expect(seen).toEqual(["forbidden"]);
  });

  it("forgets a previous connection's half-received chunks when the peer starts over with step 1", () => {
    const hub = side("hub");
    const session = new DocSyncSession({
      name: "notes",
      doc: hub.doc,
      role: "server",
      send: () => {},
      settings: { chunkBytes: 3, maxPartialMessages: 1 },
    });
    session.start();
    const piece = (id: string) => ({ doc: "notes", data: "AAAA", chunk: { id, i: 0, n: 3 } });
    session.receive(NotesType.SYNC, piece("AAAAAAAAAAA"));
    // The buffer holds one half-received message: a second one is refused ...
    expect(() => session.receive(NotesType.SYNC, piece("BBBBBBBBBBA"))).toThrow(
      expect.objectContaining({ code: "bad_chunk" }),
    );
    // ... until the peer's new session opens with step 1 (type 0, empty state vector).
    session.receive(NotesType.SYNC, { doc: "notes", data: "AAEA" });
    expect(() => session.receive(NotesType.SYNC, piece("BBBBBBBBBBA"))).not.toThrow();
  });
});
