import type { HubErrorCode } from "./api";

/**
 * The one error class of the HubApi boundary: a code the UI understands
 * (`not_found`, `conflict`, `not_ready`, ...) and a message written for the
 * person. Both transports (IPC and the web bridge) read `code` off it.
 */
export class HubError extends Error {
  override readonly name = "HubError";
  constructor(
    readonly code: HubErrorCode,
    message: string,
  ) {
    super(message);
  }
}
