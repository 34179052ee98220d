import type { z } from "zod";
import { CloseCode } from "./codes";
import { clientPayloads, type ClientMessage } from "./client-ops";
import { eventPayloads, helloPayload, type RelayMessage } from "./events";
import { CLIENT_OPS, Op } from "./ops";

/** Outcome of decoding one gateway message: a typed value or the close code it earns. */
export type DecodeResult<T> = { ok: true; message: T } | { ok: false; closeCode: number; reason: string };

type Raw = { op: number; d: unknown; s?: unknown; t?: unknown };

function parseEnvelope(text: string): Raw | { closeCode: number; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { closeCode: CloseCode.DECODE_ERROR, reason: "message is not JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { closeCode: CloseCode.DECODE_ERROR, reason: "message is not a JSON object" };
  }
  const { op } = value as { op?: unknown };
  if (typeof op !== "number" || !Number.isInteger(op)) {
    return { closeCode: CloseCode.DECODE_ERROR, reason: "op is missing or not an integer" };
  }
  return value as Raw;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid payload";
  const path = issue.path.length ? issue.path.join(".") : "d";
  return `${path}: ${issue.message}`.slice(0, 120);
}

/**
 * Decodes a client-to-relay message. Not JSON, or a payload that does not
 * fit its op, earns 4002; an op the relay does not take earns 4001.
 *
 * @example
 * const r = decodeClientMessage('{"op":1,"d":null}');
 * if (r.ok) r.message.op; // 1
 */
export function decodeClientMessage(text: string): DecodeResult<ClientMessage> {
  const raw = parseEnvelope(text);
  if (!("op" in raw)) return { ok: false, ...raw };
  if (!CLIENT_OPS.has(raw.op))
    return { ok: false, closeCode: CloseCode.UNKNOWN_OPCODE, reason: `op ${raw.op} is not a client op` };
  const schema = clientPayloads[raw.op as keyof typeof clientPayloads];
  const parsed = schema.safeParse(raw.d);
  if (!parsed.success) return { ok: false, closeCode: CloseCode.DECODE_ERROR, reason: describe(parsed.error) };
  return { ok: true, message: { op: raw.op, d: parsed.data } as ClientMessage };
}

/** Decodes a relay-to-client message, for clients. Unknown event names are reported, not thrown. */
export function decodeRelayMessage(text: string): DecodeResult<RelayMessage> {
  const raw = parseEnvelope(text);
  if (!("op" in raw)) return { ok: false, ...raw };
  switch (raw.op) {
    case Op.HEARTBEAT:
    case Op.HEARTBEAT_ACK:
    case Op.RECONNECT:
      return { ok: true, message: { op: raw.op, d: null } };
    case Op.INVALID_SESSION:
      return { ok: true, message: { op: raw.op, d: false } };
    case Op.HELLO: {
      const parsed = helloPayload.safeParse(raw.d);
      if (!parsed.success) return { ok: false, closeCode: CloseCode.DECODE_ERROR, reason: describe(parsed.error) };
      return { ok: true, message: { op: Op.HELLO, d: parsed.data } };
    }
    case Op.EVENT: {
      const t = raw.t;
      if (typeof t !== "string" || !(t in eventPayloads)) {
        return { ok: false, closeCode: CloseCode.DECODE_ERROR, reason: `unknown event ${String(t)}` };
      }
      const parsed = eventPayloads[t as keyof typeof eventPayloads].safeParse(raw.d);
      if (!parsed.success) return { ok: false, closeCode: CloseCode.DECODE_ERROR, reason: describe(parsed.error) };
      const s = typeof raw.s === "number" && Number.isInteger(raw.s) ? raw.s : undefined;
      if (s === undefined && t !== "RESUMED") {
        return { ok: false, closeCode: CloseCode.DECODE_ERROR, reason: `event ${t} without s` };
      }
      return { ok: true, message: { op: Op.EVENT, t, s, d: parsed.data } as RelayMessage };
    }
    default:
      return { ok: false, closeCode: CloseCode.UNKNOWN_OPCODE, reason: `op ${raw.op} is not a relay op` };
  }
}

/** Serialises any gateway message: one JSON object per WebSocket text message. */
export function encodeMessage(message: { op: number; d: unknown; s?: number; t?: string }): string {
  return JSON.stringify(message);
}
