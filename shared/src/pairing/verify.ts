import { b64uEncode } from "../encoding/b64u";
import { equalBytes } from "../crypto/bytes";
import { CardError } from "../crypto/errors";
import { type VerifiedCard, verifyCard } from "../crypto/card";
import { PairingError } from "./errors";
import type { OpenedPairRequest } from "./request";
import type { PairInvite } from "./uri";
import { computeSas } from "./sas";

/** The desktop's open pairing window, as it remembers it. */
export interface PairWindow {
  token: Uint8Array;
  /** Unix seconds. */
  expires: number;
  used: boolean;
  desktopSignPublicKey: Uint8Array;
}

/** A pair request that passed every check; the user still has to confirm the SAS. */
export interface PairCandidate {
  phone: VerifiedCard;
  sas: string;
}

/**
 * The desktop's checks of docs/protocol.md section 10: the token equals the window's
 * (constant time), is unexpired and unused; the card verifies, names the
 * device the request came `from`, and carries the box key of the body.
 */
export function checkPairRequest(
  opened: OpenedPairRequest,
  from: string,
  window: PairWindow,
  nowMs: number,
): PairCandidate {
  if (!equalBytes(opened.token, window.token))
    throw new PairingError("bad_token", "token does not match the open pairing");
  if (nowMs >= window.expires * 1000) throw new PairingError("expired", "pairing window has expired");
  if (window.used) throw new PairingError("token_used", "token was already used");
  let phone: VerifiedCard;
  try {
    phone = verifyCard(opened.card, from);
  } catch (e) {
    throw new PairingError("bad_card", e instanceof CardError ? e.message : "card is invalid");
  }
  if (phone.card.kind !== "phone") throw new PairingError("bad_card", "only phones pair by QR code");
  if (!equalBytes(phone.boxPublicKey, opened.phoneBoxPublicKey))
    throw new PairingError("card_mismatch", "card's box key differs from the request's");
  return { phone, sas: computeSas(window.desktopSignPublicKey, phone.signPublicKey, window.token) };
}

/**
 * The phone's check of docs/protocol.md section 10: the desktop card of `pair.accept`
 * verifies and carries the id and box key the QR code promised.
 */
export function checkPairAccept(card: unknown, invite: PairInvite): VerifiedCard {
  let desktop: VerifiedCard;
  try {
    desktop = verifyCard(card, invite.desktop);
  } catch (e) {
    throw new PairingError("bad_card", e instanceof CardError ? e.message : "card is invalid");
  }
  if (desktop.card.box !== b64uEncode(invite.box))
    throw new PairingError("card_mismatch", "desktop card's box key differs from the QR code's");
  return desktop;
}
