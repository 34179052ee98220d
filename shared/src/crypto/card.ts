import nacl from "tweetnacl";
import { z } from "zod";
import { b64uDecode, b64uEncode } from "../encoding/b64u";
import { concatBytes, label, utf8Encode } from "../encoding/bytes";
import { b64uBytes, deviceIdSchema } from "../protocol/primitives";
import { CardError } from "./errors";
import type { Identity } from "./identity";

export const CARD_NAME_MAX = 64;
export const DEVICE_KINDS = ["desktop", "phone"] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** An identity card as it travels (docs/protocol.md section 9). */
export const cardSchema = z.object({
  v: z.literal(1),
  device: deviceIdSchema,
  box: b64uBytes(32),
  kind: z.enum(DEVICE_KINDS),
  name: z.string().min(1).max(CARD_NAME_MAX),
  sig: b64uBytes(64),
});
export type Card = z.infer<typeof cardSchema>;

/** A card whose signature held, with its keys decoded. */
export interface VerifiedCard {
  card: Card;
  signPublicKey: Uint8Array;
  boxPublicKey: Uint8Array;
}

function cardSigningInput(signPublicKey: Uint8Array, boxPublicKey: Uint8Array, kind: string, name: string): Uint8Array {
  return concatBytes(
    label("nlink-card-v1"),
    signPublicKey,
    boxPublicKey,
    utf8Encode(kind),
    new Uint8Array([0]),
    utf8Encode(name),
  );
}

/** Makes this device's signed card. `name` is trimmed to the 64-character limit. */
export function makeCard(identity: Identity, kind: DeviceKind, name: string): Card {
  const trimmed = [...name.trim()].slice(0, CARD_NAME_MAX).join("") || kind;
  const sig = nacl.sign.detached(
    cardSigningInput(identity.signPublicKey, identity.boxPublicKey, kind, trimmed),
    identity.signSecretKey,
  );
  return {
    v: 1,
    device: b64uEncode(identity.signPublicKey),
    box: b64uEncode(identity.boxPublicKey),
    kind,
    name: trimmed,
    sig: b64uEncode(sig),
  };
}

/**
 * Checks a card's shape and signature, and, when given, that it names the
 * device it arrived from. Throws CardError otherwise.
 */
export function verifyCard(input: unknown, expectedDevice?: string): VerifiedCard {
  const parsed = cardSchema.safeParse(input);
  if (!parsed.success) throw new CardError("card is malformed");
  const card = parsed.data;
  if (expectedDevice !== undefined && card.device !== expectedDevice) throw new CardError("card names another device");
  const signPublicKey = b64uDecode(card.device);
  const boxPublicKey = b64uDecode(card.box);
  const ok = nacl.sign.detached.verify(
    cardSigningInput(signPublicKey, boxPublicKey, card.kind, card.name),
    b64uDecode(card.sig),
    signPublicKey,
  );
  if (!ok) throw new CardError("card signature does not verify");
  return { card, signPublicKey, boxPublicKey };
}
