/** Raised when text that should hold an encoding (base64url, UTF-8) does not. */
export class EncodingError extends Error {
  override name = "EncodingError";
}
