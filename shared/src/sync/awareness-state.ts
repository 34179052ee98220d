import type { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import { b64uDecode, b64uEncode } from "../encoding/b64u";
import { b64uBody } from "../protocol/primitives";
import { z } from "zod";

/**
 * What each editor publishes through awareness (y-protocols): who they are
 * and where their cursor is. Cursor ends are Yjs relative positions (base64url),
 * so they stay on the same character while others type before them.
 * Remote states are checked against this schema before they are shown:
 * awareness carries whatever a peer chose to send.
 */
export const editorStateSchema = z.object({
  user: z.object({
    name: z.string().min(1).max(64),
    colour: z.string().regex(/^#[0-9a-fA-F]{6}$/),
    /** The editor's device id, or "desktop" for the person at the hub. */
    device: z.string().max(64).optional(),
  }),
  cursor: z
    .object({ anchor: b64uBody.max(256), head: b64uBody.max(256) })
    .nullable()
    .optional(),
});
export type EditorState = z.infer<typeof editorStateSchema>;

/** Someone editing a document, as a UI shows them. */
export interface Editor {
  clientId: number;
  name: string;
  colour: string;
  device?: string;
  /** Cursor ends as indexes into the text now, or null when unknown. */
  anchor: number | null;
  head: number | null;
  self: boolean;
}

/** Colours for editors, readable on light and dark backgrounds. */
export const EDITOR_COLOURS = [
  "#e6194b",
  "#3cb44b",
  "#4363d8",
  "#f58231",
  "#911eb4",
  "#42d4f4",
  "#f032e6",
  "#9a6324",
] as const;

/** A stable colour for a device id (or any string), so a person keeps their colour. */
export function colourFor(key: string): string {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
  return EDITOR_COLOURS[h % EDITOR_COLOURS.length]!;
}

/** Encodes a text index as a relative position (base64url) for awareness. */
export function encodeCursor(text: Y.Text, index: number): string {
  const clamped = Math.max(0, Math.min(index, text.length));
  return b64uEncode(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, clamped)));
}

/** Resolves a cursor end from awareness to an index into `text`, or null if it does not resolve. */
export function decodeCursor(text: Y.Text, encoded: string): number | null {
  try {
    const rel = Y.decodeRelativePosition(b64uDecode(encoded));
    const abs = Y.createAbsolutePositionFromRelativePosition(rel, text.doc!);
    return abs && abs.type === text ? abs.index : null;
  } catch {
    return null;
  }
}

/** Publishes this editor's cursor (`null` when the editor lost focus). */
export function setLocalCursor(awareness: Awareness, text: Y.Text, sel: { anchor: number; head: number } | null): void {
  awareness.setLocalStateField(
    "cursor",
    sel && { anchor: encodeCursor(text, sel.anchor), head: encodeCursor(text, sel.head) },
  );
}

/** Every editor with a well-formed state, this one included (`self`), ordered by client id. */
export function listEditors(awareness: Awareness, text: Y.Text): Editor[] {
  const out: Editor[] = [];
  for (const [clientId, raw] of awareness.getStates()) {
    const parsed = editorStateSchema.safeParse(raw);
    if (!parsed.success) continue;
    const { user, cursor } = parsed.data;
    out.push({
      clientId,
      name: user.name,
      colour: user.colour,
      ...(user.device === undefined ? {} : { device: user.device }),
      anchor: cursor ? decodeCursor(text, cursor.anchor) : null,
      head: cursor ? decodeCursor(text, cursor.head) : null,
      self: clientId === awareness.clientID,
    });
  }
  return out.sort((a, b) => a.clientId - b.clientId);
}
