import { b64uEncode } from "../src/encoding/b64u";
import { identityFromSecrets } from "../src/crypto/identity";

/** Fixed inputs of the test vectors: byte strings that count up from a start value. */
export const counting = (start: number, length: number) => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);

export const inputs = {
  desktopSignSeed: counting(0x01, 32),
  desktopBoxSecret: counting(0x21, 32),
  phoneSignSeed: counting(0x41, 32),
  phoneBoxSecret: counting(0x61, 32),
  challenge: counting(0xa0, 32),
  relayId: "relay.test",
  token: counting(0xc0, 16),
  envelopeNonce: counting(0xd0, 24),
  pairRequestNonce: counting(0xe8, 24),
  frameId: b64uEncode(counting(0x10, 16)),
  ts: 1_764_000_000_000,
  relayUrl: "wss://relay.example/v1/gateway",
  expires: 1_764_000_600,
  desktopName: "Test Desktop & Co",
  phoneName: "Test Phone",
  termId: "0190b5e8-1f2a-7c3d-8e4f-5a6b7c8d9e0f",
  /** A prompt's worth of output: ASCII, an escape sequence, two- and three-byte characters. */
  termOutputText: "ls\r\n\u001b[1mnotes.md\u001b[0m  café — ✓\r\n$ ",
};

export const desktop = identityFromSecrets(inputs.desktopSignSeed, inputs.desktopBoxSecret);
export const phone = identityFromSecrets(inputs.phoneSignSeed, inputs.phoneBoxSecret);
