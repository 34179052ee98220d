/**
 * A device's two key pairs and what they sign (docs/protocol.md sections 1, 4 and 9).
 */
import { randomBytes } from "node:crypto";
import nacl from "tweetnacl";
import { b64u, concat, label, unb64uSized, utf8 } from "./b64u";

export interface Device {
  /** b64u of the signing public key: 43 characters. */
  id: string;
  sign: nacl.SignKeyPair;
  box: nacl.BoxKeyPair;
}

export function newDevice(): Device {
  const sign = nacl.sign.keyPair();
  return { id: b64u(sign.publicKey), sign, box: nacl.box.keyPair() };
}

/** A device from fixed secrets (for the published test vectors). */
export function deviceFromSecrets(signSeed: Uint8Array, boxSecretKey: Uint8Array): Device {
  const sign = nacl.sign.keyPair.fromSeed(signSeed);
  return { id: b64u(sign.publicKey), sign, box: nacl.box.keyPair.fromSecretKey(boxSecretKey) };
}

export function randomId(): string {
  return b64u(new Uint8Array(randomBytes(16)));
}

/** The bytes an AUTH signature covers: `utf8("nlink-auth-v1\0") || challenge || utf8(relay)`. */
export function authSigningInput(challenge: Uint8Array, relayId: string): Uint8Array {
  return concat(label("nlink-auth-v1"), challenge, utf8(relayId));
}

export function signAuth(device: Device, challenge: string, relayId: string): string {
  return b64u(nacl.sign.detached(authSigningInput(unb64uSized(challenge, 32), relayId), device.sign.secretKey));
}

export type CardKind = "desktop" | "phone";

export interface Card {
  v: 1;
  device: string;
  box: string;
  kind: CardKind;
  name: string;
  sig: string;
}

function cardSigningInput(signPk: Uint8Array, boxPk: Uint8Array, kind: string, name: string): Uint8Array {
  return concat(label("nlink-card-v1"), signPk, boxPk, utf8(kind), new Uint8Array([0]), utf8(name));
}

export function makeCard(device: Device, kind: CardKind, name: string): Card {
  const sig = nacl.sign.detached(
    cardSigningInput(device.sign.publicKey, device.box.publicKey, kind, name),
    device.sign.secretKey,
  );
  return { v: 1, device: device.id, box: b64u(device.box.publicKey), kind, name, sig: b64u(sig) };
}

export class CardError extends Error {
  override readonly name = "CardError";
}

/** Checks a card's shape and signature, and that it names `expectedDevice` when given. Throws CardError. */
export function verifyCard(value: unknown, expectedDevice?: string): Card {
  if (typeof value !== "object" || value === null) throw new CardError("card is not an object");
  const c = value as Record<string, unknown>;
  if (c.v !== 1) throw new CardError("card v is not 1");
  if (c.kind !== "desktop" && c.kind !== "phone") throw new CardError("card kind is not desktop or phone");
  if (typeof c.name !== "string" || [...c.name].length > 64)
    throw new CardError("card name is not a string of at most 64 characters");
  if (typeof c.device !== "string" || typeof c.box !== "string" || typeof c.sig !== "string")
    throw new CardError("card fields missing");
  let ok: boolean;
  try {
    const signPk = unb64uSized(c.device, 32);
    const boxPk = unb64uSized(c.box, 32);
    ok = nacl.sign.detached.verify(cardSigningInput(signPk, boxPk, c.kind, c.name), unb64uSized(c.sig, 64), signPk);
  } catch (err) {
    throw new CardError(`card field not well-formed: ${(err as Error).message}`);
  }
  if (!ok) throw new CardError("card signature does not verify");
  if (expectedDevice !== undefined && c.device !== expectedDevice) throw new CardError("card names another device");
  return c as unknown as Card;
}
