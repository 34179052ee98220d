import { DocName, DocSyncSession, type NotesType } from "@neural-link/shared/sync";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ScriptedHub } from "../../test/scripted-hub";
import { notesLinkFrom } from "./notes-link";
import { PhoneNotes } from "./phone-notes";
import { memoryKeyValue } from "../storage/kv";

describe("notesLinkFrom", () => {
  it("carries a phone document over the app's HubLink: doc pushes in, sends out, online only with the desktop", async () => {
    const link = new ScriptedHub();
    link.setStatus({ state: "online", peerOnline: false, epoch: 1 });
    // The desktop's side: a real server session answering what the phone sent.
    const hubDoc = new Y.Doc();
    hubDoc.getText("notes").insert(0, "desk text");
    const server = new DocSyncSession({
      name: DocName.NOTES,
      doc: hubDoc,
      role: "server",
      send: (t, d) => link.push(t, JSON.parse(JSON.stringify(d))),
    });
    server.start();
    const pump = () => {
      while (link.sent.length > 0) {
        const m = link.sent.shift()!;
        server.receive(m.t as NotesType, JSON.parse(JSON.stringify(m.d)));
      }
    };
    const doc = await PhoneNotes.open({
      name: DocName.NOTES,
      link: notesLinkFrom(link),
      kv: memoryKeyValue(),
      hubDevice: "hub",
      user: { name: "Pixel", device: "pixel" },
    });
    expect(link.sent).toEqual([]); // the desktop is not connected: nothing goes out
    link.push("task.updated", { task: {} }); // other pushes are not the document's business
    link.setStatus({ peerOnline: true });
    pump();
    expect(doc.getState()).toMatchObject({ online: true, synced: true, text: "desk text" });
    doc.setText("desk text, phone text");
    pump();
    expect(hubDoc.getText("notes").toString()).toBe("desk text, phone text");
    expect(link.sent).toEqual([]);
    await doc.close();
    server.close();
  });
});
