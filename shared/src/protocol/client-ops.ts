import { z } from "zod";
import { PROTOCOL_DEFAULTS } from "./defaults";
import { Op } from "./ops";
import {
  b64uBody,
  b64uBytes,
  deviceIdSchema,
  frameIdSchema,
  qosSchema,
  refSchema,
  rendezvousSchema,
  seqSchema,
} from "./primitives";

/** Payloads of the ops a client sends (docs/protocol.md sections 3-5, 7 and 10). Unknown keys are ignored. */
export const heartbeatPayload = seqSchema.nullable();

export const authPayload = z.object({
  device: z.string(),
  sig: z.string(),
  resume: z.object({ session: z.string().min(1).max(128), seq: seqSchema }).optional(),
  // Any pair of integers decodes; the relay answers a shard other than [0, 1] with 4010.
  shard: z.tuple([z.number().int(), z.number().int()]).optional(),
  client: z.object({ name: z.string().max(64), version: z.string().max(64) }).optional(),
  // Our extension (docs/protocol.md section 5, "Binary frames"): what the client would like to use.
  // Ill-formed, it is ignored like any unknown key rather than refused.
  features: z.array(z.string().max(64)).max(16).optional().catch(undefined),
});

export const sendPayload = z.object({
  id: frameIdSchema,
  to: deviceIdSchema,
  body: b64uBody,
  qos: qosSchema,
  ref: refSchema.optional(),
});

export const ackPayload = z.object({ ids: z.array(frameIdSchema).max(PROTOCOL_DEFAULTS.maxAckIds) });

export const grantPayload = z.object({ peer: deviceIdSchema, ref: refSchema.optional() });
export const revokePayload = grantPayload;

export const pairOpenPayload = z.object({
  rendezvous: rendezvousSchema,
  ttl_s: z.number().int().positive(),
  ref: refSchema.optional(),
});
export const pairRequestPayload = z.object({ rendezvous: rendezvousSchema, body: b64uBody, ref: refSchema.optional() });
export const pairClosePayload = z.object({ rendezvous: rendezvousSchema, ref: refSchema.optional() });

/** Signature bytes are 64; kept here so the relay can check shape before verifying. */
export const authSigSchema = b64uBytes(64);

export const clientPayloads = {
  [Op.HEARTBEAT]: heartbeatPayload,
  [Op.AUTH]: authPayload,
  [Op.SEND]: sendPayload,
  [Op.ACK]: ackPayload,
  [Op.GRANT]: grantPayload,
  [Op.REVOKE]: revokePayload,
  [Op.PAIR_OPEN]: pairOpenPayload,
  [Op.PAIR_REQUEST]: pairRequestPayload,
  [Op.PAIR_CLOSE]: pairClosePayload,
} as const;

export type HeartbeatPayload = z.infer<typeof heartbeatPayload>;
export type AuthPayload = z.infer<typeof authPayload>;
export type SendPayload = z.infer<typeof sendPayload>;
export type AckPayload = z.infer<typeof ackPayload>;
export type GrantPayload = z.infer<typeof grantPayload>;
export type RevokePayload = z.infer<typeof revokePayload>;
export type PairOpenPayload = z.infer<typeof pairOpenPayload>;
export type PairRequestPayload = z.infer<typeof pairRequestPayload>;
export type PairClosePayload = z.infer<typeof pairClosePayload>;

/** A decoded client-to-relay message. */
export type ClientMessage =
  | { op: typeof Op.HEARTBEAT; d: HeartbeatPayload }
  | { op: typeof Op.AUTH; d: AuthPayload }
  | { op: typeof Op.SEND; d: SendPayload }
  | { op: typeof Op.ACK; d: AckPayload }
  | { op: typeof Op.GRANT; d: GrantPayload }
  | { op: typeof Op.REVOKE; d: RevokePayload }
  | { op: typeof Op.PAIR_OPEN; d: PairOpenPayload }
  | { op: typeof Op.PAIR_REQUEST; d: PairRequestPayload }
  | { op: typeof Op.PAIR_CLOSE; d: PairClosePayload };
