import { b64uDecode, b64uEncode } from "../src/encoding/b64u";
import { concatBytes, utf8Encode } from "../src/encoding/bytes";
import { signAuth } from "../src/crypto/auth";
import { makeCard } from "../src/crypto/card";
import { deviceIdOf } from "../src/crypto/identity";
import { type EnvelopeInner, sealEnvelopeWithNonce, sharedKey } from "../src/crypto/envelope";
import { authSigningInput } from "../src/protocol/auth";
import { binarySendOf } from "../src/protocol/binary-frame-text";
import { encodeBinaryFrame } from "../src/protocol/binary-frames";
import { sealPairRequestWithNonce } from "../src/pairing/request";
import { computeSas } from "../src/pairing/sas";
import { rendezvousOf } from "../src/pairing/token";
import { encodePairUri } from "../src/pairing/uri";
import { desktop, inputs, phone } from "./vector-inputs";

/** Four bytes, big-endian. */
const u32 = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);

/** Computes every vector from the fixed inputs; vectors.json holds the expected result. */
export function computeVectors() {
  const desktopId = deviceIdOf(desktop.signPublicKey);
  const phoneId = deviceIdOf(phone.signPublicKey);
  const desktopCard = makeCard(desktop, "desktop", inputs.desktopName);
  const phoneCard = makeCard(phone, "phone", inputs.phoneName);
  const key = sharedKey(phone.boxPublicKey, desktop.boxSecretKey);
  const inner: EnvelopeInner = {
    v: 1,
    id: inputs.frameId,
    from: desktopId,
    to: phoneId,
    ts: inputs.ts,
    t: "rpc",
    d: { call: "c1", method: "hub.info", params: {} },
  };
  const envelope = sealEnvelopeWithNonce(key, inner, inputs.envelopeNonce);
  const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  // docs/protocol.md section 8, "Byte tail": terminal output whose data travels as its UTF-8 bytes.
  const output = utf8Encode(inputs.termOutputText);
  const tailInner: EnvelopeInner = { ...inner, t: "term.output", d: { term: inputs.termId, seq: 42, data: output } };
  const tailHeader = JSON.stringify({ ...tailInner, d: { term: inputs.termId, seq: 42 } });
  const tailEnvelope = sealEnvelopeWithNonce(key, tailInner, inputs.envelopeNonce);
  return {
    inputs: {
      desktop_sign_seed: b64uEncode(inputs.desktopSignSeed),
      desktop_box_secret_key: b64uEncode(inputs.desktopBoxSecret),
      phone_sign_seed: b64uEncode(inputs.phoneSignSeed),
      phone_box_secret_key: b64uEncode(inputs.phoneBoxSecret),
      challenge: b64uEncode(inputs.challenge),
      relay_id: inputs.relayId,
      token: b64uEncode(inputs.token),
      envelope_nonce: b64uEncode(inputs.envelopeNonce),
      pair_request_nonce: b64uEncode(inputs.pairRequestNonce),
      relay_url: inputs.relayUrl,
      expires: inputs.expires,
      desktop_name: inputs.desktopName,
      phone_name: inputs.phoneName,
    },
    desktop: { device: desktopId, box_public_key: b64uEncode(desktop.boxPublicKey) },
    phone: { device: phoneId, box_public_key: b64uEncode(phone.boxPublicKey) },
    auth: {
      signing_input: b64uEncode(authSigningInput(inputs.challenge, inputs.relayId)),
      sig: signAuth(inputs.challenge, inputs.relayId, desktop.signSecretKey),
    },
    desktop_card: desktopCard,
    phone_card: phoneCard,
    envelope: {
      shared_key: b64uEncode(key),
      plaintext: JSON.stringify(inner),
      plaintext_b64u: b64uEncode(utf8Encode(JSON.stringify(inner))),
      bytes: b64uEncode(envelope),
    },
    byte_tail_envelope: {
      header: tailHeader,
      data_hex: hex(output),
      plaintext_hex: hex(
        concatBytes(Uint8Array.of(0), u32(utf8Encode(tailHeader).length), utf8Encode(tailHeader), output),
      ),
      bytes: b64uEncode(tailEnvelope),
    },
    // docs/protocol.md section 5, "Binary frames": the envelope above sent by the desktop to the phone.
    binary_send: {
      fields: { id: inputs.frameId, to: phoneId, qos: 1, ref: "r1" },
      hex: hex(binarySendOf({ id: inputs.frameId, to: phoneId, qos: 1, ref: "r1" }, envelope)),
    },
    binary_frame: {
      fields: { id: inputs.frameId, from: desktopId, qos: 1, s: 7, ts: inputs.ts },
      hex: hex(
        encodeBinaryFrame({
          id: b64uDecode(inputs.frameId),
          from: desktop.signPublicKey,
          qos: 1,
          s: 7,
          ts: inputs.ts,
          envelope,
        }),
      ),
    },
    rendezvous: rendezvousOf(inputs.token),
    sas: computeSas(desktop.signPublicKey, phone.signPublicKey, inputs.token),
    pair_uri: encodePairUri({
      relay: inputs.relayUrl,
      desktop: desktopId,
      box: desktop.boxPublicKey,
      token: inputs.token,
      expires: inputs.expires,
      name: inputs.desktopName,
    }),
    pair_request_body: sealPairRequestWithNonce(
      phone,
      desktop.boxPublicKey,
      inputs.token,
      phoneCard,
      inputs.pairRequestNonce,
    ),
  };
}
