import { type MethodName, type MethodParams, type MethodResult, methods } from "../app/methods";
import { RpcError, rpcErrorSchema, rpcResultSchema } from "../app/rpc";
import { AppType } from "../app/types";
import { b64uEncode } from "../encoding/b64u";
import { randomBytes } from "../crypto/bytes";
import type { Unsubscribe } from "./emitter";
import type { TimeoutHandle } from "./timers";
import type { Endpoint, IncomingMessage } from "./endpoint";

/** Tuning of the RPC caller. */
export interface RpcClientSettings {
  /** How long a call waits for its answer. Calls travel as qos 1, so a slow link is not a lost call. */
  callTimeoutMs: number;
}

export const RPC_CLIENT_DEFAULTS: Readonly<RpcClientSettings> = Object.freeze({ callTimeoutMs: 30_000 });

interface Waiting {
  resolve(result: unknown): void;
  reject(err: RpcError): void;
  timer: TimeoutHandle;
}

/**
 * Calls methods of the hub's registry (docs/protocol.md section 11) over an
 * endpoint: params are checked before sending, results after receiving, and
 * an `rpc.error` becomes a thrown RpcError with its code.
 *
 * @example const info = await new RpcClient(endpoint, hubId).call("hub.info", {});
 */
export class RpcClient {
  private readonly settings: RpcClientSettings;
  private readonly waiting = new Map<string, Waiting>();
  private readonly off: Unsubscribe;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly peer: string,
    settings: Partial<RpcClientSettings> = {},
  ) {
    this.settings = { ...RPC_CLIENT_DEFAULTS, ...settings };
    this.off = endpoint.on("message", (m) => this.onMessage(m));
  }

  async call<M extends MethodName>(
    method: M,
    params: MethodParams<M>,
    opts: { timeoutMs?: number } = {},
  ): Promise<MethodResult<M>> {
    const spec = methods[method];
    const checked = spec.params.safeParse(params);
    if (!checked.success)
      throw new RpcError("bad_params", `${method}: ${checked.error.issues[0]?.message ?? "invalid params"}`);
    const call = b64uEncode(randomBytes(12));
    const answer = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(call);
        reject(new RpcError("timeout", `${method}: no answer in time`));
      }, opts.timeoutMs ?? this.settings.callTimeoutMs);
      this.waiting.set(call, { resolve, reject, timer });
    });
    try {
      await this.endpoint.send(this.peer, AppType.RPC, { call, method, params: checked.data ?? {} }, 1);
    } catch (err) {
      this.settle(
        call,
        undefined,
        new RpcError("unavailable", `${method}: could not send (${err instanceof Error ? err.message : "error"})`),
      );
    }
    const raw = await answer;
    const result = spec.result.safeParse(raw);
    if (!result.success)
      throw new RpcError("bad_result", `${method}: the hub's answer does not fit the method's result`);
    return result.data as MethodResult<M>;
  }

  /** Fails every waiting call and stops listening. */
  dispose(): void {
    this.off();
    for (const call of [...this.waiting.keys()])
      this.settle(call, undefined, new RpcError("unavailable", "client closed"));
  }

  private onMessage(m: IncomingMessage): void {
    if (m.from !== this.peer) return;
    if (m.t === AppType.RPC_RESULT) {
      const r = rpcResultSchema.safeParse(m.d);
      if (r.success) this.settle(r.data.call, r.data.result);
    } else if (m.t === AppType.RPC_ERROR) {
      const r = rpcErrorSchema.safeParse(m.d);
      if (r.success) this.settle(r.data.call, undefined, new RpcError(r.data.code, r.data.message));
    }
  }

  private settle(call: string, result: unknown, error?: RpcError): void {
    const w = this.waiting.get(call);
    if (!w) return;
    this.waiting.delete(call);
    clearTimeout(w.timer);
    if (error) w.reject(error);
    else w.resolve(result);
  }
}
