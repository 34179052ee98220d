import { z } from "zod";
import { b64uBody, b64uBytes } from "../protocol/primitives";

/**
 * Envelope `t` values of document sync (docs/notes.md). Both directions
 * use the same types: the hub and a device are peers of the Yjs sync protocol.
 */
export const NotesType = {
  /** A y-protocols sync message (step 1, step 2 or update), whole or one chunk of it. qos 1. */
  SYNC: "notes.sync",
  /** A y-protocols awareness update: who is editing, their colour and cursor. qos 0. */
  AWARENESS: "notes.awareness",
  /** The hub refused a message of this device (hub to device only). qos 0. */
  ERROR: "notes.error",
} as const;
export type NotesType = (typeof NotesType)[keyof typeof NotesType];

const DOC_TYPES: ReadonlySet<string> = new Set(Object.values(NotesType));

/** Whether an envelope's `t` belongs to document sync, for routing. */
export function isNotesType(t: string): t is NotesType {
  return DOC_TYPES.has(t);
}

/** The documents every hub serves, and what each holds. */
export const DocName = {
  /** A shared notes pad: one `Y.Text` named "notes". */
  NOTES: "notes",
  /** Task drafts: one `Y.Array` named "drafts" of `Y.Map`s (see `drafts.ts`). */
  DRAFTS: "drafts",
} as const;
export type DocName = (typeof DocName)[keyof typeof DocName];
export const DOC_NAMES: readonly DocName[] = Object.values(DocName);

/** A document name on the wire: lower-case, short, so it is safe as a key anywhere. */
export const docNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "expected a document name");

/** Identifies the pieces of one chunked message: 8 random bytes, base64url (11 characters). */
export const chunkIdSchema = b64uBytes(8);

/** Where one piece sits in a chunked message: piece `i` of `n` (0-based). */
export const chunkInfoSchema = z
  .object({
    id: chunkIdSchema,
    i: z.number().int().nonnegative(),
    n: z.number().int().min(2).max(10_000),
  })
  .refine((c) => c.i < c.n, "chunk index past the chunk count");

/**
 * `notes.sync` data: `data` is base64url of a y-protocols sync message
 * (`varUint type || varUint8Array payload`, type 0 step 1, 1 step 2, 2 update),
 * or of piece `chunk.i` of it when the message is larger than one frame.
 */
export const notesSyncSchema = z.object({
  doc: docNameSchema,
  data: b64uBody,
  chunk: chunkInfoSchema.optional(),
});
export type NotesSyncData = z.infer<typeof notesSyncSchema>;

/** `notes.awareness` data: base64url of a y-protocols awareness update. */
export const notesAwarenessSchema = z.object({
  doc: docNameSchema,
  data: b64uBody,
});
export type NotesAwarenessData = z.infer<typeof notesAwarenessSchema>;

export const NOTES_ERROR_CODES = [
  "bad_message",
  "bad_update",
  "too_large",
  "bad_chunk",
  "unknown_doc",
  "forbidden",
  "internal",
] as const;

/** `notes.error` data: why the hub refused a message about `doc`. Never holds document content. */
export const notesErrorSchema = z.object({
  doc: docNameSchema,
  code: z.enum(NOTES_ERROR_CODES),
  message: z.string().max(200),
});
export type NotesErrorData = z.infer<typeof notesErrorSchema>;

/** Data of any document message, by type. */
export interface NotesMessageData {
  [NotesType.SYNC]: NotesSyncData;
  [NotesType.AWARENESS]: NotesAwarenessData;
  [NotesType.ERROR]: NotesErrorData;
}

/**
 * The port a sync session sends through. The hub wires it to its encrypted
 * link (one device), the phone to its link to the hub. It must not throw for
 * an offline peer; a lost message is repaired by the next sync step 1.
 */
export type NotesSend = <T extends NotesType>(t: T, d: NotesMessageData[T], qos: 0 | 1) => void;
