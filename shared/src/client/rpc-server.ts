import type { z } from "zod";
import { isMethodName, type MethodName, type MethodResult, methods } from "../app/methods";
import { RpcError, rpcCallSchema } from "../app/rpc";
import { AppType, type Capability } from "../app/types";
import { type ClientLog, silentLog } from "./log";

/** Who is calling, as the hub knows them. */
export interface RpcCaller {
  device: string;
  caps: readonly Capability[];
}

/** One handler per method; params arrive validated by the registry. */
export type RpcHandlers<Ctx extends RpcCaller = RpcCaller> = {
  [M in MethodName]: (params: z.output<(typeof methods)[M]["params"]>, caller: Ctx) => Promise<MethodResult<M>>;
};

/** An answer ready to seal: `rpc.result` or `rpc.error` with its data. */
export type RpcAnswer =
  | { t: typeof AppType.RPC_RESULT; d: { call: string; result: unknown } }
  | { t: typeof AppType.RPC_ERROR; d: { call: string; code: string; message: string } };

/**
 * Dispatches `rpc` messages (docs/protocol.md section 11): checks the call's shape,
 * the method name, the caller's capability and the params, runs the handler,
 * checks its result, and turns every failure into `rpc.error`. An RpcError's
 * code and message pass through (except code `internal`); anything else becomes `internal` with a
 * generic message, so no stack, path or SQL reaches the phone.
 *
 * @example const answer = await server.handle(callMessage.d, { device, caps }); if (answer) send(answer.t, answer.d)
 */
export class RpcServer<Ctx extends RpcCaller = RpcCaller> {
  private readonly log: ClientLog;

  constructor(
    private readonly handlers: RpcHandlers<Ctx>,
    log?: ClientLog,
  ) {
    this.log = log ?? silentLog;
  }

  /** Returns null only when the call is too malformed to answer (no call id). */
  async handle(data: unknown, caller: Ctx): Promise<RpcAnswer | null> {
    const parsed = rpcCallSchema.safeParse(data);
    if (!parsed.success) {
      const call = (data as { call?: unknown } | null)?.call;
      if (typeof call !== "string" || call.length === 0 || call.length > 64) return null;
      return error(call, "bad_params", "malformed rpc call");
    }
    const { call, method } = parsed.data;
    if (!isMethodName(method)) return error(call, "unknown_method", `unknown method ${method.slice(0, 64)}`);
    const spec = methods[method];
    if (spec.cap !== null && !caller.caps.includes(spec.cap))
      return error(call, "forbidden", `this device lacks the ${spec.cap} capability`);
    const params = spec.params.safeParse(parsed.data.params);
    if (!params.success) {
      const issue = params.error.issues[0];
      const where = issue && issue.path.length ? `${issue.path.join(".")}: ` : "";
      return error(call, "bad_params", `${method}: ${where}${issue?.message ?? "invalid params"}`.slice(0, 300));
    }
    try {
      const handler = this.handlers[method] as (p: unknown, c: Ctx) => Promise<unknown>;
      const result = spec.result.safeParse(await handler(params.data, caller));
      if (!result.success) {
        this.log.error({ method, issue: result.error.issues[0]?.message }, "handler result does not fit its schema");
        return error(call, "internal", "the hub could not complete the call");
      }
      return { t: AppType.RPC_RESULT, d: { call, result: result.data } };
    } catch (err) {
      // A handler's RpcError is written for the caller; an "internal" one may still hold details.
      if (err instanceof RpcError && err.code !== "internal") {
        return error(call, err.code, err.message.slice(0, 1000));
      }
      this.log.error({ method, err: err instanceof Error ? err.name : "unknown" }, "rpc handler failed");
      return error(call, "internal", "the hub could not complete the call");
    }
  }
}

function error(call: string, code: string, message: string): RpcAnswer {
  return { t: AppType.RPC_ERROR, d: { call, code, message } };
}
