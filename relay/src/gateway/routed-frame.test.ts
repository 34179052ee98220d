import { randomBytes } from "node:crypto";
import { encodeBinaryFrame } from "@neural-link/shared/protocol";
import { describe, expect, it } from "vitest";
import { bodyText, envelopeBytes, frameBinary, frameText, frameTextOfBinary, type RoutedFrame } from "./routed-frame";

const id = randomBytes(16);
const from = randomBytes(32);
const envelope = randomBytes(1000);
const frame = (): RoutedFrame => ({
  id: id.toString("base64url"),
  from: from.toString("base64url"),
  qos: 1,
  ts: 1_764_000_000_123,
  body: null,
  envelope,
});

describe("RoutedFrame", () => {
  it("writes the same binary FRAME as shared's encoder (the relay's fast writer is checked against the reference)", () => {
    for (const s of [1, 255, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]) {
      const expected = encodeBinaryFrame({ qos: 1, s, ts: 1_764_000_000_123, id, from, envelope });
      expect(Buffer.from(frameBinary(frame(), s)).equals(Buffer.from(expected))).toBe(true);
    }
  });

  it("copies the raw id and from a binary SEND carried: the same FRAME as written from the text", () => {
    const withBytes: RoutedFrame = { ...frame(), idBytes: id, fromBytes: from };
    expect(frameBinary(withBytes, 7).equals(frameBinary(frame(), 7))).toBe(true);
    expect(
      Buffer.from(frameBinary(withBytes, 7)).equals(
        Buffer.from(encodeBinaryFrame({ qos: 1, s: 7, ts: 1_764_000_000_123, id, from, envelope })),
      ),
    ).toBe(true);
  });

  it("gives JSON text from bytes and bytes from text, each made once", () => {
    const f = frameText(frame(), 9);
    expect(JSON.parse(f)).toEqual({
      op: 0,
      t: "FRAME",
      s: 9,
      d: {
        id: id.toString("base64url"),
        from: from.toString("base64url"),
        body: envelope.toString("base64url"),
        qos: 1,
        ts: 1_764_000_000_123,
      },
    });
    const fromText: RoutedFrame = { ...frame(), envelope: null, body: envelope.toString("base64url") };
    expect(envelopeBytes(fromText).equals(envelope)).toBe(true);
    expect(envelopeBytes(fromText)).toBe(envelopeBytes(fromText));
    expect(bodyText(fromText)).toBe(envelope.toString("base64url"));
  });

  it("turns a binary FRAME back into the JSON FRAME with the same s (resume onto a JSON connection)", () => {
    expect(frameTextOfBinary(frameBinary(frame(), 42))).toBe(frameText(frame(), 42));
  });
});
