/**
 * Gateway messages for fuzzing (fast-check): well-formed client messages of
 * every op, and mutations of them (a key dropped, a value swapped for any
 * JSON, the op changed, the text cut or spliced, plain garbage). The
 * protocol's own decoder is the oracle of what each should earn.
 */
import fc from "fast-check";

const b64u = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString("base64url"));
export const deviceId = b64u(32);
export const frameId = b64u(16);
const ref = fc.string({ minLength: 1, maxLength: 64 });
const body = fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString("base64url"));

export type Json = { op: number; d: unknown };

/** A well-formed client message (op 1, 2, 5, 6, 8, 10, 11, 12, 13). */
export const validMessage: fc.Arbitrary<Json> = fc.oneof(
  fc.option(fc.nat(), { nil: null }).map((d) => ({ op: 1, d })),
  fc.record({ device: deviceId, sig: b64u(64) }).map((d) => ({ op: 2, d })),
  fc
    .record(
      { id: frameId, to: deviceId, body, qos: fc.constantFrom(0, 1), ref },
      { requiredKeys: ["id", "to", "body", "qos"] },
    )
    .map((d) => ({ op: 5, d })),
  fc.record({ ids: fc.array(frameId, { maxLength: 5 }) }).map((d) => ({ op: 6, d })),
  fc
    .tuple(fc.constantFrom(8, 10), fc.record({ peer: deviceId, ref }, { requiredKeys: ["peer"] }))
    .map(([op, d]) => ({ op, d })),
  fc
    .record(
      { rendezvous: frameId, ttl_s: fc.integer({ min: 1, max: 600 }), ref },
      { requiredKeys: ["rendezvous", "ttl_s"] },
    )
    .map((d) => ({ op: 11, d })),
  fc.record({ rendezvous: frameId, body, ref }, { requiredKeys: ["rendezvous", "body"] }).map((d) => ({ op: 12, d })),
  fc.record({ rendezvous: frameId, ref }, { requiredKeys: ["rendezvous"] }).map((d) => ({ op: 13, d })),
);

type Mutation = (m: Json) => string;

const mutations: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant((m: Json) => JSON.stringify(m)),
  fc.integer({ min: -5, max: 40 }).map((op) => (m: Json) => JSON.stringify({ ...m, op })),
  fc.jsonValue().map((v) => (m: Json) => JSON.stringify({ ...m, op: v })),
  fc.jsonValue().map((v) => (m: Json) => JSON.stringify({ ...m, d: v })),
  fc.tuple(fc.string({ maxLength: 8 }), fc.jsonValue()).map(([k, v]) => (m: Json) => {
    const d = typeof m.d === "object" && m.d !== null ? { ...(m.d as object) } : {};
    const keys = Object.keys(d);
    const target = keys.length > 0 && k.length % 2 === 0 ? keys[k.length % keys.length]! : k;
    return JSON.stringify({ ...m, d: { ...d, [target]: v } });
  }),
  fc.nat().map((i) => (m: Json) => {
    const d = typeof m.d === "object" && m.d !== null ? { ...(m.d as Record<string, unknown>) } : {};
    const keys = Object.keys(d);
    if (keys.length > 0) delete d[keys[i % keys.length]!];
    return JSON.stringify({ ...m, d });
  }),
  fc.nat().map((cut) => (m: Json) => {
    const text = JSON.stringify(m);
    return text.slice(0, cut % (text.length + 1));
  }),
  fc.tuple(fc.nat(), fc.string({ maxLength: 4 })).map(([at, s]) => (m: Json) => {
    const text = JSON.stringify(m);
    const i = at % (text.length + 1);
    return text.slice(0, i) + s + text.slice(i);
  }),
  fc.constant((m: Json) => JSON.stringify([m])),
);

/** Any text a client might send: mostly mutated messages, some pure noise. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(validMessage, mutations).map(([m, mutate]) => mutate(m)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
);
