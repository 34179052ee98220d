import { z } from "zod";
import { cardSchema } from "../crypto/card";
import { messageSchema } from "./messages";
import { taskSchema } from "./task";
import { TERM_INPUT_MAX } from "./methods";
import { CAPABILITIES } from "./types";

/** Payloads the hub pushes without being asked (qos noted per type in docs/protocol.md). */
export const taskUpdatedSchema = z.object({ task: taskSchema });
export const messageNewSchema = z.object({ message: messageSchema });
/** `data` is text, or its UTF-8 bytes after a `term.snapshot` that asked for bytes (docs/protocol.md section 11). */
export const termOutputSchema = z.object({
  term: z.string(),
  seq: z.number().int().nonnegative(),
  data: z.union([z.string(), z.instanceof(Uint8Array)]),
});
/** The pty's size changed (docs/protocol.md section 11, "Terminal size"): `by` holds it, a device id or "desktop". */
export const termSizeSchema = z.object({
  term: z.string(),
  cols: z.number().int().min(1),
  rows: z.number().int().min(1),
  by: z.string(),
});
/**
 * Terminal flow (docs/protocol.md section 11, "Terminal flow"): keystrokes as qos 0 `term.in`;
 * `term.ack` says the viewer drew output up to `seq`.
 */
export const termInSchema = z.object({ term: z.string().min(1).max(64), data: z.string().min(1).max(TERM_INPUT_MAX) });
export const termAckSchema = z.object({ term: z.string().min(1).max(64), seq: z.number().int().nonnegative() });
export const termExitSchema = z.object({ term: z.string(), exit_code: z.number().int().nullable() });
export const pairAcceptSchema = z.object({ card: cardSchema, caps: z.array(z.enum(CAPABILITIES)) });
export const pairRejectSchema = z.object({ reason: z.string().max(200).optional() });
export const deviceRevokedSchema = z.object({ device: z.string() });

export type TaskUpdated = z.infer<typeof taskUpdatedSchema>;
export type TermOutput = z.infer<typeof termOutputSchema>;

const outputDecoder = new TextDecoder();
/** The text of a `term.output`'s data, whichever form it came in (bytes decode as UTF-8, U+FFFD for what is not). */
export function termOutputText(data: string | Uint8Array): string {
  return typeof data === "string" ? data : outputDecoder.decode(data);
}
export type TermIn = z.infer<typeof termInSchema>;
export type TermAck = z.infer<typeof termAckSchema>;

export type TermSizePush = z.infer<typeof termSizeSchema>;
export type PairAccept = z.infer<typeof pairAcceptSchema>;
