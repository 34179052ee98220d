import { RpcError } from "@neural-link/shared/app";

/**
 * Words for a failure, fit to show a person. Never includes secrets: RPC messages come from the hub's mapped errors.
 */
export function describeError(e: unknown): string {
  if (e instanceof RpcError) {
    switch (e.code) {
      case "forbidden":
        return "This phone is not allowed to do that. Allow it on the desktop.";
      case "not_found":
        return `Not found: ${e.message}`;
      case "bad_params":
        return `The desktop refused the request: ${e.message}`;
      case "timeout":
        return "The desktop did not answer in time. It may be offline.";
      case "unavailable":
        return "Not connected to the relay. Check the phone's connection.";
      case "bad_result":
        return "The desktop's answer could not be understood. The app and the desktop may be different versions.";
      default:
        return e.message || `Failed (${e.code})`;
    }
  }
  if (e instanceof Error) return e.message;
  return "Something went wrong.";
}
