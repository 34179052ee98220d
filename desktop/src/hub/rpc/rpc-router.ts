import { AppType } from "@neural-link/shared/app";
import { type IncomingMessage, type RpcAnswer, type RpcHandlers, RpcServer } from "@neural-link/shared/client";
import type { Logger } from "pino";
import type { AuditLog } from "../audit-log";
import type { DeviceService } from "../devices/device-service";
import type { HubLink } from "../link/hub-link";
import { PUSH_METHODS } from "../push/push-handlers";
import type { HubCaller } from "./stale-requests";

/**
 * Methods whose handlers only read or write the hub's store: they run whole
 * inside the store unit that also records the call's frame id and writes the
 * answer to the outbox, so after a crash a call is either done and answered,
 * or not done at all and handled when the relay offers it again. Every other
 * method has effects outside the store (processes, terminals): it runs
 * first, and its answer commits with the frame id; a crash in between runs
 * it again on redelivery (docs/hub.md, "What survives what").
 */
const STORE_ONLY: ReadonlySet<string> = new Set([
  "hub.info",
  "messages.send",
  "messages.list",
  "messages.search",
  ...PUSH_METHODS,
]);

/**
 * Serves `rpc` frames from paired devices: looks up the caller's
 * capabilities, lets shared's RpcServer validate and dispatch, and seals the
 * answer back as qos 1. Calls are handled in arrival order, each answer
 * naming its call; the frame is ACKed once its answer is in the outbox.
 */
export class RpcRouter {
  private readonly server: RpcServer<HubCaller>;
  private readonly log: Logger;

  constructor(
    private readonly link: HubLink,
    private readonly devices: DeviceService,
    handlers: RpcHandlers<HubCaller>,
    private readonly audit: AuditLog,
    log: Logger,
  ) {
    this.log = log.child({ mod: "hub/rpc" });
    this.server = new RpcServer(handlers, this.log);
    link.handle(AppType.RPC, (m) => this.receive(m));
  }

  private async receive(m: IncomingMessage): Promise<() => Promise<void>> {
    const method = (m.d as { method?: unknown } | null)?.method;
    if (typeof method === "string" && STORE_ONLY.has(method)) {
      return async () => this.deliver(m.from, await this.answer(m.from, m.d, m.ts));
    }
    const answer = await this.answer(m.from, m.d, m.ts);
    return async () => this.deliver(m.from, answer);
  }

  private async answer(from: string, data: unknown, sentAt: number): Promise<RpcAnswer | null> {
    // The envelope's time travels with the call, so stale requests can be refused (rpc/stale-requests.ts).
    const caller: HubCaller = { device: from, caps: await this.devices.capsOf(from), sentAt };
    const answer = await this.server.handle(data, caller);
    if (answer?.t === AppType.RPC_ERROR && (answer.d.code === "forbidden" || answer.d.code === "stale")) {
      const method = (data as { method?: unknown }).method;
      await this.audit.record(from, `rpc.${answer.d.code}`, undefined, {
        method: typeof method === "string" ? method.slice(0, 64) : "?",
        sentAt,
      });
    }
    return answer;
  }

  /** Inside the unit: the answer's outbox entry commits with the call's frame id. */
  private async deliver(to: string, answer: RpcAnswer | null): Promise<void> {
    if (!answer) return;
    if (!this.link.isPeer(to)) {
      // Revoked while its call ran: it gets no answer, and the call is not worth handling again.
      this.log.info("an rpc caller is no longer paired; no answer");
      return;
    }
    // A store failure here rolls the unit back: the call stays un-ACKed and is handled again.
    await this.link.send(to, answer.t, answer.d, 1);
  }
}
