import { DocName } from "@neural-link/shared/sync";
import { useMemo } from "react";
import { NotesPad } from "@neural-link/ui/notes";
import { HUB_PAD_WORDS, useHubNotes } from "../notes";
import { hub } from "../hub-ref";
import { hubNotesBridge } from "../notes/hub-notes-bridge";
import { useStatus } from "../stores/status-store";

/** Shown to phones when the hub has no name yet (setup always sets one first). */
const FALLBACK_EDITOR_NAME = "This desktop";

/**
 * The shared notes pad (docs/notes.md): the hub's `notes` document,
 * edited here and on every paired phone with the `doc` capability at once.
 * The person here appears to the phones under the hub's name.
 */
export function NotesScreen() {
  const name = useStatus((s) => s.status?.name) ?? FALLBACK_EDITOR_NAME;
  // One bridge for the screen's lifetime: useHubNotes starts a new replica when it changes.
  const bridge = useMemo(() => hubNotesBridge(hub()), []);
  const { doc, state } = useHubNotes({ name: DocName.NOTES, bridge, user: { name, device: "desktop" } });
  return (
    <section aria-labelledby="notes-h" className="notes-screen">
      <h1 id="notes-h">Notes</h1>
      <p className="muted">
        One notes pad shared with your phones: everyone types at once, and edits made offline merge when they reconnect.
      </p>
      {doc ? <NotesPad doc={doc} state={state} words={HUB_PAD_WORDS} /> : <p aria-busy="true">Opening the notes…</p>}
    </section>
  );
}
