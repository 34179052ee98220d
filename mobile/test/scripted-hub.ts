import { type MethodName, type MethodParams, type MethodResult, methods, RpcError } from "@neural-link/shared/app";
import type { HubLink, LinkStatus, Push, SendOptions } from "../src/connection/hub-link";
import { Emitter } from "@neural-link/shared/events";

type Handler<M extends MethodName> = (params: MethodParams<M>) => MethodResult<M> | Promise<MethodResult<M>>;

/**
 * A hub for unit tests of the stores, which run in Node without a relay.
 * It is strict where the real hub is: params are checked against the shared
 * `methods` registry (a store sending bad params fails the test) and so are
 * the scripted results. The real hub is exercised by the e2e tests.
 */
export class ScriptedHub implements HubLink {
  readonly calls: { method: MethodName; params: unknown }[] = [];
  private readonly handlers = new Map<MethodName, Handler<never>>();
  // No log: a listener that throws in a test is rethrown on its own and fails the run.
  private readonly events = new Emitter<{ status: LinkStatus; push: Push }>();
  private current: LinkStatus = { state: "online", peerOnline: true, epoch: 1 };
  closed = false;
  /** Non-RPC messages the phone sent (doc.* sync, terminal keystrokes and acks); `unconfirmed`: sent without a ref. */
  readonly sent: { t: string; d: unknown; qos: 0 | 1; unconfirmed?: true }[] = [];

  on<M extends MethodName>(method: M, handler: Handler<M>): this {
    this.handlers.set(method, handler as Handler<never>);
    return this;
  }

  async call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    this.calls.push({ method, params });
    const spec = methods[method];
    if (!spec.params.safeParse(params).success)
      throw new Error(`store sent bad params to ${method}: ${JSON.stringify(params)}`);
    const handler = this.handlers.get(method) as Handler<M> | undefined;
    if (!handler) throw new RpcError("unknown_method", `no handler for ${method}`);
    const result = await handler(params);
    return spec.result.parse(result) as MethodResult<M>;
  }

  callsOf(method: MethodName): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params);
  }

  status(): LinkStatus {
    return this.current;
  }
  onStatus(listener: (status: LinkStatus) => void): () => void {
    return this.events.on("status", listener);
  }
  onPush(listener: (push: Push) => void): () => void {
    return this.events.on("push", listener);
  }
  setStatus(patch: Partial<LinkStatus>): void {
    this.current = { ...this.current, ...patch };
    this.events.emit("status", this.current);
  }
  push(t: string, d: unknown): void {
    this.events.emit("push", { t, d });
  }
  async send(t: string, d: unknown, qos: 0 | 1, opts?: SendOptions): Promise<void> {
    this.sent.push(opts?.confirm === false ? { t, d, qos, unconfirmed: true } : { t, d, qos });
  }
  close(): void {
    this.closed = true;
  }
}
