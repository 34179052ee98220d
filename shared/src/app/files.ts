import { z } from "zod";
import type { Capability } from "./types";

/**
 * Files both ways (docs/protocol.md section 11, "Files"). Control goes over
 * rpc (qos 1); the bytes go as `file.chunk` app messages (qos 0, never stored
 * by the relay) clocked by `file.ack` from the receiver. Everything is inside
 * the sealed envelope like any other frame.
 */

/** A transfer id: chosen by whoever starts the transfer, base64url of 16 random bytes. */
export const xferIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
/** Lowercase hex SHA-256 of the whole file. */
export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/);
/** A file name as the sender gives it; the hub sanitizes it (files/file-names.ts). */
export const FILE_NAME_MAX = 255;
export const FILE_PATH_MAX = 4096;
/** Entries in one `files.list` answer at most (then `more: true`). */
export const FILE_LIST_MAX = 1000;
/**
 * The largest chunk either end accepts, in bytes before base64url; a chunk frame stays well under the 512 KiB body
 * limit.
 */
export const FILE_CHUNK_MAX = 384 * 1024 - 4096;

const filePath = z.string().min(1).max(FILE_PATH_MAX);
const size = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const FILE_STATES = ["receiving", "sending", "done", "failed", "cancelled"] as const;
export type FileState = (typeof FILE_STATES)[number];

/** One transfer as the hub reports it. */
export const fileTransferSchema = z.object({
  xfer: xferIdSchema,
  /** "up": phone → desktop; "down": desktop → phone. */
  direction: z.enum(["up", "down"]),
  /** The name it got on the desktop (after sanitizing and "name (1).ext"), or the file's name for a download. */
  name: z.string(),
  size,
  /** Bytes the receiver holds. */
  received: size,
  state: z.enum(FILE_STATES),
  /** Absolute path on the desktop once done (up), or the file read (down). */
  path: z.string().optional(),
  sha256: sha256HexSchema.optional(),
  /** Why it failed, in words ("the checksum did not match: …"). */
  error: z.string().optional(),
  /** A copy outside the landing folder waits for this approval task (kind "command"). */
  task: z.string().optional(),
  created_at: z.number().int(),
  updated_at: z.number().int(),
});
export type FileTransfer = z.infer<typeof fileTransferSchema>;

/** How the receiver wants the bytes: the sender obeys (and may go smaller). */
const pacing = {
  chunk_bytes: z.number().int().min(1024).max(FILE_CHUNK_MAX),
  window_bytes: z.number().int().min(1024),
};

export const fileEntrySchema = z.object({
  name: z.string(),
  kind: z.enum(["file", "dir", "link", "other"]),
  size: size.optional(),
  mtime: z.number().optional(),
});
export type FileEntry = z.infer<typeof fileEntrySchema>;

const def = <P extends z.ZodType, R extends z.ZodType>(cap: Capability | null, params: P, result: R) => ({
  cap,
  params,
  result,
});

/** The file methods, merged into shared's `methods` registry (methods.ts). */
export const fileMethods = {
  /**
   * Starts, or resumes, sending a file to the desktop. Repeating it with the same
   * `xfer` answers where the desktop stands (`offset`): the sender goes on from there.
   * `dest`: a folder outside the landing folder; the file lands first, then a copy
   * there waits for approval (a task).
   */
  "files.put": def(
    "tasks",
    z.object({ xfer: xferIdSchema, name: z.string().min(1).max(FILE_NAME_MAX), size, dest: filePath.optional() }),
    // `bytes`: this desktop takes the transfer's chunks as bytes ("Files as bytes"); without it, base64url only.
    z.object({ transfer: fileTransferSchema, offset: size, ...pacing, bytes: z.literal(true).optional() }),
  ),
  /** All bytes are acknowledged: the desktop checks the sum and keeps the file, or says why not. */
  "files.finish": def(
    "tasks",
    z.object({ xfer: xferIdSchema, sha256: sha256HexSchema }),
    z.object({ transfer: fileTransferSchema }),
  ),
  /** Stops a transfer of this device; a partial upload is deleted. */
  "files.cancel": def("tasks", z.object({ xfer: xferIdSchema }), z.object({ transfer: fileTransferSchema })),
  /** A folder's entries (default: the landing folder), folders first; the hub's data folder never shows. */
  "files.list": def(
    "tasks",
    z.object({ path: filePath.optional() }),
    z.object({
      path: z.string(),
      parent: z.string().optional(),
      home: z.string(),
      landing: z.string(),
      entries: z.array(fileEntrySchema),
      more: z.literal(true).optional(),
    }),
  ),
  /**
   * Starts (or, with the same `xfer`, resumes) fetching a desktop file: the desktop
   * streams `file.chunk` from the offset the phone's `file.ack` asks for.
   */
  "files.get": def(
    "tasks",
    // `bytes`: send this transfer's chunks as bytes ("Files as bytes"); answered `bytes: true` when they will be.
    z.object({ xfer: xferIdSchema, path: filePath, bytes: z.literal(true).optional() }),
    z.object({ transfer: fileTransferSchema, ...pacing, bytes: z.literal(true).optional() }),
  ),
  /** This device's recent transfers, newest first. */
  "files.transfers": def(
    "tasks",
    z.object({ limit: z.number().int().min(1).max(100).optional() }),
    z.object({ transfers: z.array(fileTransferSchema) }),
  ),
} as const;

/**
 * `file.chunk` (qos 0): `data` is base64url of the bytes at `offset`, or the bytes themselves in a byte-tail envelope
 * (docs/protocol.md sections 8 and 11, "Files as bytes") once the receiver has said it takes them.
 */
export const fileChunkSchema = z.object({
  xfer: xferIdSchema,
  offset: size,
  data: z.union([
    z.string().max(Math.ceil((FILE_CHUNK_MAX * 4) / 3) + 4),
    z.instanceof(Uint8Array).refine((b) => b.length <= FILE_CHUNK_MAX, "a chunk is at most FILE_CHUNK_MAX bytes"),
  ]),
});
export type FileChunk = z.infer<typeof fileChunkSchema>;

/**
 * `file.ack` (qos 0), receiver → sender: it holds `received` bytes in order.
 * `resend: true` asks the sender to go back to `received` (a chunk went missing,
 * or nothing came for a while); the sender never goes back otherwise.
 */
export const fileAckSchema = z.object({ xfer: xferIdSchema, received: size, resend: z.literal(true).optional() });
export type FileAck = z.infer<typeof fileAckSchema>;
