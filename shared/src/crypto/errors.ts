/** Why an identity card was refused. */
export class CardError extends Error {
  override name = "CardError";
}

export type EnvelopeRejection =
  | "malformed"
  | "bad_version"
  | "decrypt_failed"
  | "from_mismatch"
  | "to_mismatch"
  | "id_mismatch"
  | "replayed"
  | "too_old"
  | "from_future";

/**
 * Why an end-to-end frame was dropped (docs/protocol.md section 8). The reason is
 * for counters and tests; it never carries plaintext.
 */
export class EnvelopeError extends Error {
  override name = "EnvelopeError";
  constructor(
    readonly reason: EnvelopeRejection,
    message: string,
  ) {
    super(message);
  }
}
