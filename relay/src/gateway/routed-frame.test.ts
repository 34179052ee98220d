import { randomBytes } from "node:crypto";
import { binarySendOf, encodeBinaryFrame } from "@neural-link/shared/protocol";
import { describe, expect, it } from "vitest";
import { frameTextOfBinary, RoutedFrame } from "./routed-frame";

const id = randomBytes(16);
const from = randomBytes(32);
const to = randomBytes(32);
const envelope = randomBytes(1000);
const ts = 1_764_000_000_123;
const frame = () =>
  RoutedFrame.ofBytes({ id: id.toString("base64url"), from: from.toString("base64url"), qos: 1, ts, envelope });
/** The same frame as it arrives in a binary SEND with a ref (so the envelope does not start at the header's end). */
const fromSend = () => {
  const message = Buffer.from(
    binarySendOf({ id: id.toString("base64url"), to: to.toString("base64url"), qos: 1, ref: "r-7" }, envelope),
  );
  return RoutedFrame.ofBinarySend(message, message.length - envelope.length, from.toString("base64url"), from, 1, ts);
};
const reference = (s: number) => Buffer.from(encodeBinaryFrame({ qos: 1, s, ts, id, from, envelope }));

describe("RoutedFrame", () => {
  it("writes the same binary FRAME as shared's encoder (the relay's fast writer is checked against the reference)", () => {
    for (const s of [1, 255, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]) {
      expect(frame().binary(s).equals(reference(s))).toBe(true);
      expect(fromSend().binary(s).equals(reference(s))).toBe(true);
    }
  });

  it("reads a binary SEND's id and envelope in place: the same FRAME, text and sizes as from the fields", () => {
    const f = fromSend();
    expect(f.envelopeSize).toBe(envelope.length);
    expect(f.binaryLength).toBe(66 + envelope.length);
    const out = Buffer.alloc(f.binaryLength);
    f.writeBinary(7, out);
    expect(out.equals(reference(7))).toBe(true);
    expect(f.id).toBe(id.toString("base64url"));
    expect(f.envelope.equals(envelope)).toBe(true);
    expect(f.text(7)).toBe(frame().text(7));
  });

  it("gives JSON text from bytes and bytes from text, each made once", () => {
    expect(JSON.parse(frame().text(9))).toEqual({
      op: 0,
      t: "FRAME",
      s: 9,
      d: {
        id: id.toString("base64url"),
        from: from.toString("base64url"),
        body: envelope.toString("base64url"),
        qos: 1,
        ts,
      },
    });
    const fromText = RoutedFrame.ofText({
      id: id.toString("base64url"),
      from: from.toString("base64url"),
      body: envelope.toString("base64url"),
      qos: 1,
      ts,
    });
    expect(fromText.envelope.equals(envelope)).toBe(true);
    expect(fromText.envelope).toBe(fromText.envelope);
    expect(fromText.body).toBe(envelope.toString("base64url"));
    expect(fromText.binary(3).equals(reference(3))).toBe(true);
  });

  it("a text frame's binary FRAME is exactly its header and its decoded envelope, for every length remainder", () => {
    for (let n = 0; n < 20; n++) {
      const bytes = randomBytes(n);
      const f = RoutedFrame.ofText({
        id: id.toString("base64url"),
        from: from.toString("base64url"),
        body: bytes.toString("base64url"),
        qos: 0,
        ts,
      });
      expect(f.binaryLength).toBe(66 + n);
      expect(f.binary(5).subarray(66).equals(bytes)).toBe(true);
    }
  });

  it("turns a binary FRAME back into the JSON FRAME with the same s (resume onto a JSON connection)", () => {
    expect(frameTextOfBinary(frame().binary(42))).toBe(frame().text(42));
  });
});
