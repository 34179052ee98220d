import { z } from "zod";
import { b64uBody, b64uBytes } from "../protocol/primitives";

/**
 * Envelope `t` values of document sync (docs/documents.md). Both directions
 * use the same types: the hub and a device are peers of the Yjs sync protocol.
 */
export const DocType = {
  /** A y-protocols sync message (step 1, step 2 or update), whole or one chunk of it. qos 1. */
  SYNC: "doc.sync",
  /** A y-protocols awareness update: who is editing, their colour and cursor. qos 0. */
  AWARENESS: "doc.awareness",
  /** The hub refused a message of this device (hub to device only). qos 0. */
  ERROR: "doc.error",
} as const;
export type DocType = (typeof DocType)[keyof typeof DocType];

const DOC_TYPES: ReadonlySet<string> = new Set(Object.values(DocType));

/** Whether an envelope's `t` belongs to document sync, for routing. */
export function isDocType(t: string): t is DocType {
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
 * `doc.sync` data: `data` is base64url of a y-protocols sync message
 * (`varUint type || varUint8Array payload`, type 0 step 1, 1 step 2, 2 update),
 * or of piece `chunk.i` of it when the message is larger than one frame.
 */
export const docSyncSchema = z.object({
  doc: docNameSchema,
  data: b64uBody,
  chunk: chunkInfoSchema.optional(),
});
export type DocSyncData = z.infer<typeof docSyncSchema>;

/** `doc.awareness` data: base64url of a y-protocols awareness update. */
export const docAwarenessSchema = z.object({
  doc: docNameSchema,
  data: b64uBody,
});
export type DocAwarenessData = z.infer<typeof docAwarenessSchema>;

export const DOC_ERROR_CODES = ["bad_message", "bad_update", "too_large", "bad_chunk", "unknown_doc", "forbidden", "internal"] as const;

/** `doc.error` data: why the hub refused a message about `doc`. Never holds document content. */
export const docErrorSchema = z.object({
  doc: docNameSchema,
  code: z.enum(DOC_ERROR_CODES),
  message: z.string().max(200),
});
export type DocErrorData = z.infer<typeof docErrorSchema>;

/** Data of any document message, by type. */
export interface DocMessageData {
  [DocType.SYNC]: DocSyncData;
  [DocType.AWARENESS]: DocAwarenessData;
  [DocType.ERROR]: DocErrorData;
}

/**
 * The port a sync session sends through. The hub wires it to its encrypted
 * link (one device), the phone to its link to the hub. It must not throw for
 * an offline peer; a lost message is repaired by the next sync step 1.
 */
export type DocSend = <T extends DocType>(t: T, d: DocMessageData[T], qos: 0 | 1) => void;
