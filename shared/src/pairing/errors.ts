/** Why a pairing step was refused. `code` is stable and safe to show or count. */
export class PairingError extends Error {
  override name = "PairingError";
  constructor(
    readonly code: "bad_uri" | "bad_body" | "bad_token" | "expired" | "token_used" | "bad_card" | "card_mismatch",
    message: string,
  ) {
    super(message);
  }
}
