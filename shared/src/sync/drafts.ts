import * as Y from "yjs";
import { z } from "zod";

/**
 * The `drafts` document: task commands being prepared before they are run,
 * editable from any device. One `Y.Array` named "drafts" of `Y.Map`s with the
 * fields below; concurrent inserts all survive, and concurrent edits of one
 * field resolve to one of the values (Yjs map semantics).
 */
export const draftSchema = z.object({
  id: z.string().min(1).max(64),
  command: z.string().max(4096),
  note: z.string().max(4096),
  created_at: z.number().int(),
});
export type Draft = z.infer<typeof draftSchema>;

export function draftsArray(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
  return doc.getArray<Y.Map<unknown>>("drafts");
}

/** Appends a draft; call inside the caller's transaction if it has one. */
export function addDraft(doc: Y.Doc, draft: Draft): void {
  const map = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(draftSchema.parse(draft))) map.set(k, v);
  draftsArray(doc).push([map]);
}

/** The drafts that are well-formed, in document order (a peer may have written anything). */
export function readDrafts(doc: Y.Doc): Draft[] {
  const out: Draft[] = [];
  for (const item of draftsArray(doc).toArray()) {
    if (!(item instanceof Y.Map)) continue;
    const parsed = draftSchema.safeParse(item.toJSON());
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** The notes pad's text. */
export function notesText(doc: Y.Doc): Y.Text {
  return doc.getText("notes");
}
