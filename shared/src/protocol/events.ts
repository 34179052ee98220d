import { z } from "zod";
import { ERROR_CODES } from "./codes";
import type { Op } from "./ops";
import { EventName } from "./ops";
import { relayLimitsSchema } from "./relay-limits";
import {
  b64uBody,
  deviceIdSchema,
  frameIdSchema,
  qosSchema,
  refSchema,
  rendezvousSchema,
  seqSchema,
} from "./primitives";

/** Payloads the relay sends (docs/protocol.md sections 3-7 and 10). */
export const helloPayload = z.object({
  v: z.literal(1),
  heartbeat_interval: z.number().int().positive(),
  challenge: z.string().min(1),
  relay: z.string().min(1),
  /**
   * The relay's per-connection limits (docs/protocol.md section 4, our extension). Optional (an
   * older relay omits it) and never a reason to refuse a HELLO: an ill-formed one reads as absent.
   */
  limits: relayLimitsSchema.optional().catch(undefined),
});

export const readyEvent = z.object({
  session: z.string().min(1),
  device: deviceIdSchema,
  heartbeat_interval: z.number().int().positive(),
  resume_ttl_s: z.number().int().nonnegative(),
  peers_online: z.array(deviceIdSchema),
  /** Features of AUTH `features` this connection uses (docs/protocol.md section 5, "Binary frames"). */
  features: z.array(z.string()).optional(),
});
export const resumedEvent = z.object({ session: z.string().min(1), features: z.array(z.string()).optional() });
export const frameEvent = z.object({
  id: frameIdSchema,
  from: deviceIdSchema,
  body: b64uBody,
  qos: qosSchema,
  ts: z.number().int(),
});
const errorCode = z.enum(ERROR_CODES);
export const replyEvent = z.discriminatedUnion("ok", [
  z.looseObject({ ref: refSchema, ok: z.literal(true), status: z.enum(["sent", "dropped", "stored"]).optional() }),
  z.object({ ref: refSchema, ok: z.literal(false), code: errorCode, message: z.string() }),
]);
export const errorEvent = z.object({
  op: z.number().int(),
  id: z.string().optional(),
  code: errorCode,
  message: z.string(),
});
export const presenceEvent = z.object({ device: deviceIdSchema, online: z.boolean() });
export const pairRequestEvent = z.object({ rendezvous: rendezvousSchema, from: deviceIdSchema, body: b64uBody });

export const eventPayloads = {
  [EventName.READY]: readyEvent,
  [EventName.RESUMED]: resumedEvent,
  [EventName.FRAME]: frameEvent,
  [EventName.REPLY]: replyEvent,
  [EventName.ERROR]: errorEvent,
  [EventName.PRESENCE]: presenceEvent,
  [EventName.PAIR_REQUEST]: pairRequestEvent,
} as const;

export type HelloPayload = z.infer<typeof helloPayload>;
export type ReadyEvent = z.infer<typeof readyEvent>;
export type ResumedEvent = z.infer<typeof resumedEvent>;
export type FrameEvent = z.infer<typeof frameEvent>;
export type ReplyEvent = z.infer<typeof replyEvent>;
export type ErrorEvent = z.infer<typeof errorEvent>;
export type PresenceEvent = z.infer<typeof presenceEvent>;
export type PairRequestEvent = z.infer<typeof pairRequestEvent>;

/** An EVENT (op 0). Every event carries `s` except RESUMED (see docs/protocol.md). */
export type RelayEvent =
  | { op: typeof Op.EVENT; t: "READY"; s: number; d: ReadyEvent }
  | { op: typeof Op.EVENT; t: "RESUMED"; s?: undefined; d: ResumedEvent }
  | { op: typeof Op.EVENT; t: "FRAME"; s: number; d: FrameEvent }
  | { op: typeof Op.EVENT; t: "REPLY"; s: number; d: ReplyEvent }
  | { op: typeof Op.EVENT; t: "ERROR"; s: number; d: ErrorEvent }
  | { op: typeof Op.EVENT; t: "PRESENCE"; s: number; d: PresenceEvent }
  | { op: typeof Op.EVENT; t: "PAIR_REQUEST"; s: number; d: PairRequestEvent };

/** A decoded relay-to-client message. */
export type RelayMessage =
  | RelayEvent
  | { op: typeof Op.HEARTBEAT; d: null }
  | { op: typeof Op.HEARTBEAT_ACK; d: null }
  | { op: typeof Op.HELLO; d: HelloPayload }
  | { op: typeof Op.RECONNECT; d: null }
  | { op: typeof Op.INVALID_SESSION; d: false };

export { frameIdSchema, seqSchema };
