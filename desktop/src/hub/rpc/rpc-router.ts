import { AppType } from "@neural-link/shared/app";
import { type RpcHandlers, RpcServer } from "@neural-link/shared/client";
import type { Logger } from "pino";
import type { AuditLog } from "../audit-log";
import type { DeviceService } from "../devices/device-service";
import type { HubLink } from "../link/hub-link";
import type { HubCaller } from "./stale-requests";

/**
 * Serves `rpc` frames from paired devices: looks up the caller's
 * capabilities, lets shared's RpcServer validate and dispatch, and seals the
 * answer back as qos 1. Calls run concurrently; each answer names its call.
 */
export class RpcRouter {
  private readonly server: RpcServer<HubCaller>;
  private readonly log: Logger;

  constructor(
    link: HubLink,
    private readonly devices: DeviceService,
    handlers: RpcHandlers<HubCaller>,
    private readonly audit: AuditLog,
    log: Logger,
  ) {
    this.log = log.child({ mod: "hub/rpc" });
    this.server = new RpcServer(handlers, this.log);
    link.on("message", (m) => {
      if (m.t !== AppType.RPC) {
        if (m.t.startsWith("rpc.")) return;
        this.log.debug({ t: m.t }, "ignoring a message type the hub does not take");
        return;
      }
      void this.serve(link, m.from, m.d, m.ts);
    });
  }

  private async serve(link: HubLink, from: string, data: unknown, sentAt: number): Promise<void> {
    try {
      // The envelope's time travels with the call, so stale requests can be refused (rpc/stale-requests.ts).
      const caller: HubCaller = { device: from, caps: await this.devices.capsOf(from), sentAt };
      const answer = await this.server.handle(data, caller);
      if (!answer) return;
      if (answer.t === AppType.RPC_ERROR && (answer.d.code === "forbidden" || answer.d.code === "stale")) {
        const method = (data as { method?: unknown }).method;
        await this.audit.record(from, `rpc.${answer.d.code}`, undefined, { method: typeof method === "string" ? method.slice(0, 64) : "?", sentAt });
      }
      await link.send(from, answer.t, answer.d, 1);
    } catch (err) {
      this.log.warn({ err: String(err) }, "could not answer an rpc call");
    }
  }
}
