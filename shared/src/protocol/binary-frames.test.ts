import { describe, expect, it } from "vitest";
import vectors from "../../test/vectors.json";
import { b64uDecode, b64uEncode } from "../encoding/b64u";
import { binarySendOf, frameOfBinary } from "./binary-frame-text";
import {
  BINARY_FRAME_HEADER_BYTES,
  BINARY_SEND_HEADER_BYTES,
  BINARY_SEND_ID_OFFSET,
  BINARY_SEND_TO_OFFSET,
  binarySendEnvelopeAt,
  binarySendQos,
  binarySendRef,
  decodeBinaryFrame,
  decodeBinarySend,
  encodeBinaryFrame,
} from "./binary-frames";
import { CloseCode } from "./codes";

const fromHex = (hex: string) => new Uint8Array(hex.match(/../g)!.map((b) => parseInt(b, 16)));
const envelope = b64uDecode(vectors.envelope.bytes);

describe("binary SEND", () => {
  it("decodes the test vector to its fields and the raw envelope", () => {
    const r = decodeBinarySend(fromHex(vectors.binary_send.hex));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { fields } = vectors.binary_send;
    expect(b64uEncode(r.message.id)).toBe(fields.id);
    expect(b64uEncode(r.message.to)).toBe(fields.to);
    expect(r.message.qos).toBe(fields.qos);
    expect(r.message.ref).toBe(fields.ref);
    expect(r.message.envelope).toEqual(envelope);
  });

  it("encodes the vector's fields to its bytes, header first", () => {
    const { fields } = vectors.binary_send;
    const bytes = binarySendOf({ id: fields.id, to: fields.to, qos: 1, ref: fields.ref }, envelope);
    expect(bytes).toEqual(fromHex(vectors.binary_send.hex));
    expect(bytes.length).toBe(BINARY_SEND_HEADER_BYTES + 2 + envelope.length);
  });

  it("round-trips without a ref and with an empty envelope", () => {
    const m = binarySendOf(
      { id: vectors.binary_send.fields.id, to: vectors.binary_send.fields.to, qos: 0 },
      new Uint8Array(0),
    );
    const r = decodeBinarySend(m);
    expect(r.ok && r.message.ref === undefined && r.message.qos === 0 && r.message.envelope.length === 0).toBe(true);
  });

  it.each([
    ["empty", new Uint8Array(0), CloseCode.DECODE_ERROR],
    ["another op", new Uint8Array([2, 0]), CloseCode.UNKNOWN_OPCODE],
    ["a FRAME sent by a client", fromHex(vectors.binary_frame.hex), CloseCode.UNKNOWN_OPCODE],
    ["a short header", fromHex(vectors.binary_send.hex).subarray(0, 40), CloseCode.DECODE_ERROR],
    [
      "reserved flags",
      (() => {
        const b = fromHex(vectors.binary_send.hex);
        b[1] = 0x81;
        return b;
      })(),
      CloseCode.DECODE_ERROR,
    ],
    [
      "a ref over 64 bytes",
      (() => {
        const b = fromHex(vectors.binary_send.hex);
        b[BINARY_SEND_HEADER_BYTES - 1] = 65;
        return b;
      })(),
      CloseCode.DECODE_ERROR,
    ],
    [
      "a ref longer than the message",
      fromHex(vectors.binary_send.hex).subarray(0, BINARY_SEND_HEADER_BYTES + 1),
      CloseCode.DECODE_ERROR,
    ],
    [
      "a ref that is not UTF-8",
      (() => {
        const b = fromHex(vectors.binary_send.hex);
        b[BINARY_SEND_HEADER_BYTES] = 0xff;
        return b;
      })(),
      CloseCode.DECODE_ERROR,
    ],
  ])("refuses %s with its close code", (_name, bytes, code) => {
    const r = decodeBinarySend(bytes);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.closeCode).toBe(code);
  });

  it("never throws on random bytes", () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = crypto.getRandomValues(new Uint8Array(i % 90));
      if (i % 3 === 0 && bytes.length > 0) bytes[0] = 5;
      const r = decodeBinarySend(bytes);
      if (!r.ok) expect([CloseCode.DECODE_ERROR, CloseCode.UNKNOWN_OPCODE]).toContain(r.closeCode);
    }
  });

  it("reads the vector in place: envelope offset, qos, ref, id and to offsets", () => {
    const bytes = fromHex(vectors.binary_send.hex);
    const { fields } = vectors.binary_send;
    expect(binarySendEnvelopeAt(bytes)).toBe(BINARY_SEND_HEADER_BYTES + 2);
    expect(binarySendQos(bytes)).toBe(fields.qos);
    expect(binarySendRef(bytes)).toBe(fields.ref);
    expect(b64uEncode(bytes.subarray(BINARY_SEND_ID_OFFSET, BINARY_SEND_TO_OFFSET))).toBe(fields.id);
    expect(b64uEncode(bytes.subarray(BINARY_SEND_TO_OFFSET, BINARY_SEND_TO_OFFSET + 32))).toBe(fields.to);
  });

  it("in place, accepts and refuses exactly what decodeBinarySend does, with the same close code", () => {
    for (let i = 0; i < 3000; i++) {
      const bytes = crypto.getRandomValues(new Uint8Array(i % 120));
      if (bytes.length > 0 && i % 2 === 0) bytes[0] = 5;
      if (bytes.length > 1 && i % 4 === 0) bytes[1] &= 1;
      if (bytes.length >= BINARY_SEND_HEADER_BYTES && i % 8 === 0) bytes[BINARY_SEND_HEADER_BYTES - 1]! %= 8;
      const decoded = decodeBinarySend(bytes);
      const at = binarySendEnvelopeAt(bytes);
      const ref = typeof at === "number" ? binarySendRef(bytes) : undefined;
      const inPlace = typeof at !== "number" ? at.closeCode : ref === null ? CloseCode.DECODE_ERROR : "ok";
      expect(inPlace).toBe(decoded.ok ? "ok" : decoded.closeCode);
      if (decoded.ok && typeof at === "number") expect(bytes.length - at).toBe(decoded.message.envelope.length);
    }
  });
});

describe("binary FRAME", () => {
  it("decodes the test vector into a FRAME event with text ids", () => {
    const r = frameOfBinary(fromHex(vectors.binary_frame.hex));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect({ id: r.message.id, from: r.message.from, qos: r.message.qos, s: r.message.s, ts: r.message.ts }).toEqual(
      vectors.binary_frame.fields,
    );
    expect(r.message.envelope).toEqual(envelope);
    expect(r.message.body).toBe(vectors.envelope.bytes);
  });

  it("encodes the vector's fields to its bytes", () => {
    const f = vectors.binary_frame.fields;
    const bytes = encodeBinaryFrame({
      id: b64uDecode(f.id),
      from: b64uDecode(f.from),
      qos: 1,
      s: f.s,
      ts: f.ts,
      envelope,
    });
    expect(bytes).toEqual(fromHex(vectors.binary_frame.hex));
    expect(bytes.length).toBe(BINARY_FRAME_HEADER_BYTES + envelope.length);
  });

  it("carries s and ts up to 2^53 - 1 and refuses more", () => {
    const f = vectors.binary_frame.fields;
    const big = encodeBinaryFrame({
      id: b64uDecode(f.id),
      from: b64uDecode(f.from),
      qos: 0,
      s: Number.MAX_SAFE_INTEGER,
      ts: 2 ** 40 + 3,
      envelope: new Uint8Array(1),
    });
    const r = decodeBinaryFrame(big);
    expect(r.ok && r.message.s === Number.MAX_SAFE_INTEGER && r.message.ts === 2 ** 40 + 3).toBe(true);
    big[2] = 0x00;
    big[3] = 0x20; // s = 2^53
    expect(decodeBinaryFrame(big).ok).toBe(false);
  });

  it.each([
    ["a SEND sent by a relay", fromHex(vectors.binary_send.hex), CloseCode.UNKNOWN_OPCODE],
    [
      "a short header",
      fromHex(vectors.binary_frame.hex).subarray(0, BINARY_FRAME_HEADER_BYTES - 1),
      CloseCode.DECODE_ERROR,
    ],
    [
      "s = 0",
      (() => {
        const b = fromHex(vectors.binary_frame.hex);
        b.fill(0, 2, 10);
        return b;
      })(),
      CloseCode.DECODE_ERROR,
    ],
  ])("refuses %s", (_name, bytes, code) => {
    const r = decodeBinaryFrame(bytes);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.closeCode).toBe(code);
  });
});
