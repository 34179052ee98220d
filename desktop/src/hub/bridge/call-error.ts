import { HUB_ERROR_CODES, type HubErrorCode } from "../api";

/**
 * The error a HubApi implementation throws to fail one call with a code the
 * UI understands. Any thrown value carrying a known string `code` is treated
 * the same, so the hub core need not import this class.
 */
export class HubCallError extends Error {
  override readonly name = "HubCallError";
  constructor(
    readonly code: HubErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Reads a known error code off any thrown value; unknown shapes are `internal`. */
export function errorCodeOf(err: unknown): HubErrorCode {
  if (typeof err === "object" && err !== null && "code" in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === "string" && (HUB_ERROR_CODES as readonly string[]).includes(code)) return code as HubErrorCode;
  }
  return "internal";
}
