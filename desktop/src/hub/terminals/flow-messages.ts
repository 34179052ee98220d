import { AppType, termAckSchema, termInSchema } from "@neural-link/shared/app";
import type { IncomingMessage } from "@neural-link/shared/client";
import type { Logger } from "pino";
import type { DeviceService } from "../devices/device-service";
import type { HubEmitter } from "../hub-events";
import type { HubLink } from "../link/hub-link";
import type { TerminalService } from "./terminal-service";

/**
 * Serves the two qos 0 messages of terminal flow (docs/protocol.md section 11, "Terminal flow"):
 * `term.in` (keystrokes, applied at once: no call, no answer, no stored frame on the way) and
 * `term.ack` (the phone drew output up to `seq`: clocks OutputFlow). Both need the `terminal`
 * capability and touch only the sender's own terminals, as the `term.*` methods do. There is no
 * answer to carry an error: a message that does not fit, or names a terminal the sender may not
 * use, is dropped with a log line (never its data). Whether a device has `terminal` is remembered
 * until the device list changes (the "devices" event follows every change of capabilities), so a
 * keystroke does not wait for a store read.
 */
export function serveTerminalFlow(
  link: HubLink,
  devices: DeviceService,
  events: HubEmitter,
  terminals: TerminalService,
  log: Logger,
): void {
  const flowLog = log.child({ mod: "hub/terminals/flow" });
  const known = new Map<string, boolean>();
  events.on("devices", () => known.clear());
  const allowed = async (m: IncomingMessage) => {
    let ok = known.get(m.from);
    if (ok === undefined) known.set(m.from, (ok = (await devices.capsOf(m.from)).includes("terminal")));
    return ok;
  };
  link.handle(AppType.TERM_IN, async (m) => {
    const p = termInSchema.safeParse(m.d);
    if (!p.success || !(await allowed(m))) return flowLog.info({ from: m.from, ok: p.success }, "term.in refused");
    try {
      await terminals.input(m.from, p.data.term, p.data.data);
    } catch (err) {
      flowLog.info(
        { from: m.from, term: p.data.term, err: err instanceof Error ? err.name : "error" },
        "term.in not applied",
      );
    }
  });
  link.handle(AppType.TERM_ACK, async (m) => {
    const p = termAckSchema.safeParse(m.d);
    if (!p.success || !(await allowed(m))) return flowLog.info({ from: m.from, ok: p.success }, "term.ack refused");
    if (!terminals.ack(m.from, p.data.term, p.data.seq))
      flowLog.debug({ from: m.from, term: p.data.term }, "term.ack ignored");
  });
}
