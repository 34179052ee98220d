import { RpcError } from "@neural-link/shared/app";
import { HubError } from "../hub-error";
import { StoreError } from "../store";
import { ApprovalError } from "../tasks/approvals";
import { TaskError } from "../tasks/errors";
import { hubErrorOf } from "../terminals/terminal-service";

/**
 * Turns a boundary error of any hub module into what the other side should
 * see: a HubError for the desktop UI, with a code it knows. Unknown errors
 * pass through unchanged and end up as `internal` without their message.
 */
export function toHubError(err: unknown): unknown {
  if (err instanceof HubError) return err;
  if (err instanceof TaskError) {
    switch (err.code) {
      case "not_found":
        return new HubError("not_found", err.message);
      case "stopped":
      case "conflict":
        return new HubError("conflict", err.message);
      case "bad_request":
        return new HubError("bad_params", err.message);
      default: {
        const never: never = err.code;
        return new HubError("internal", `unknown task error ${String(never)}`);
      }
    }
  }
  if (err instanceof ApprovalError)
    return new HubError(err.code === "not_allowed" ? "forbidden" : "conflict", err.message);
  if (err instanceof StoreError) {
    if (err.code === "not_found") return new HubError("not_found", err.message);
    if (err.code === "invalid") return new HubError("bad_params", err.message);
    return err;
  }
  return hubErrorOf(err);
}

/** The same, as an RpcError for a phone. `not_ready` has no RPC twin and reads as `conflict`. */
export function toRpcError(err: unknown): unknown {
  const hub = toHubError(err);
  if (!(hub instanceof HubError)) return hub;
  if (hub.code === "internal") return hub;
  return new RpcError(hub.code === "not_ready" ? "conflict" : hub.code, hub.message);
}
