import nacl from "tweetnacl";
import { describe, expect, it } from "vitest";
import vectors from "./vectors.json";
import { computeVectors } from "./compute-vectors";
import { b64uDecode } from "../src/encoding/b64u";
import { utf8Encode } from "../src/encoding/bytes";
import { verifyAuth } from "../src/crypto/auth";
import { verifyCard } from "../src/crypto/card";
import { openEnvelope } from "../src/crypto/envelope";
import { openPairRequest } from "../src/pairing/request";
import { checkPairRequest } from "../src/pairing/verify";
import { parsePairUri } from "../src/pairing/uri";
import { desktop, inputs, phone } from "./vector-inputs";

// vectors.json is the contract another implementation proves itself against:
// same inputs, byte-identical outputs.
describe("test vectors", () => {
  const computed = computeVectors();

  it.each(Object.keys(vectors) as (keyof typeof vectors)[])("%s matches vectors.json", (key) => {
    expect(computed[key]).toEqual(vectors[key]);
  });

  it("the vectors open and verify", () => {
    expect(verifyAuth(vectors.desktop.device, inputs.challenge, inputs.relayId, vectors.auth.sig)).toBe(true);
    expect(verifyCard(vectors.desktop_card, vectors.desktop.device).card.name).toBe(inputs.desktopName);
    expect(verifyCard(vectors.phone_card, vectors.phone.device).card.kind).toBe("phone");
    // The phone opens what the desktop sealed for it.
    const open = (sealed: string) =>
      openEnvelope(
        b64uDecode(vectors.envelope.shared_key),
        b64uDecode(sealed),
        { id: inputs.frameId, from: vectors.desktop.device },
        vectors.phone.device,
        inputs.ts,
      );
    expect(JSON.stringify(open(vectors.envelope.bytes))).toBe(vectors.envelope.plaintext);
    expect(open(vectors.byte_tail_envelope.bytes).d).toEqual({
      term: inputs.termId,
      seq: 42,
      data: utf8Encode(inputs.termOutputText),
    });
    // The plaintext is the documented layout, byte for byte.
    const sealed = b64uDecode(vectors.byte_tail_envelope.bytes);
    const plaintext = nacl.box.open.after(
      sealed.subarray(25),
      sealed.subarray(1, 25),
      b64uDecode(vectors.envelope.shared_key),
    );
    expect(Buffer.from(plaintext!).toString("hex")).toBe(vectors.byte_tail_envelope.plaintext_hex);
    const invite = parsePairUri(vectors.pair_uri);
    expect(invite.name).toBe(inputs.desktopName);
    const opened = openPairRequest(vectors.pair_request_body, desktop.boxSecretKey);
    const candidate = checkPairRequest(
      opened,
      vectors.phone.device,
      { token: inputs.token, expires: inputs.expires, used: false, desktopSignPublicKey: desktop.signPublicKey },
      inputs.expires * 1000 - 1,
    );
    expect(candidate.sas).toBe(vectors.sas);
    expect(candidate.phone.boxPublicKey).toEqual(phone.boxPublicKey);
  });
});
