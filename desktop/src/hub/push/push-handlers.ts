import type { RpcHandlers } from "@neural-link/shared/client";
import { toRpcError } from "../rpc/rpc-errors";
import type { HubCaller } from "../rpc/stale-requests";
import type { PushService } from "./push-service";

export const PUSH_METHODS = [
  "push.key",
  "push.subscribe",
  "push.unsubscribe",
  "push.settings",
  "push.visibility",
] as const;
export type PushMethod = (typeof PUSH_METHODS)[number];
export type PushHandlers = Pick<RpcHandlers<HubCaller>, PushMethod>;

const guard =
  <P, R>(fn: (p: P, caller: HubCaller) => Promise<R>) =>
  async (p: P, caller: HubCaller): Promise<R> => {
    try {
      return await fn(p, caller);
    } catch (err) {
      throw toRpcError(err);
    }
  };

/**
 * The hub's side of the push methods (docs/protocol.md section 11, "Push notifications").
 * Any paired device may call them, for itself only: which pushes it then gets is bounded
 * by its capabilities (shared's PUSH_KIND_CAP). They touch only the store.
 */
export function pushHandlers(push: PushService): PushHandlers {
  return {
    "push.key": guard(async () => ({ key: await push.publicKey() })),
    "push.subscribe": guard(async (p, caller) => push.subscribe(caller.device, p.subscription, p.events)),
    "push.unsubscribe": guard(async (_p, caller) => push.unsubscribe(caller.device)),
    "push.settings": guard(async (p, caller) => push.settingsOf(caller.device, p.events)),
    "push.visibility": guard(async (p, caller) => {
      push.setVisible(caller.device, p.visible);
      return {};
    }),
  };
}
