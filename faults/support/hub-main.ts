/**
 * A hub for fault scenarios, run as its own process (`node --import tsx
 * faults/support/hub-main.ts`): a HubNode on a data directory, pointed at a
 * relay, answering yes to pairing questions (there is no person), and
 * printing what a scenario waits for on stdout:
 *   `HUB ONLINE <device>`  connected to the relay
 *   `PAIR <uri>`           a pairing window is open (first start only: no store yet)
 *   `PAIRED <name>`        a phone was paired
 * Diagnostics go to stderr as JSON (NLINK_LOG_LEVEL, default warn).
 * Environment: NLINK_FAULT_DATA (data dir), NLINK_FAULT_RELAY (relay URL),
 * NLINK_FAULT_APPROVALS (both|phone|desktop, default phone).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { HubNode } from "../../desktop/src/hub/hub-node";

const say = (text: string) => process.stdout.write(`${text}\n`);

async function main(): Promise<void> {
  const dataDir = process.env.NLINK_FAULT_DATA;
  const relay = process.env.NLINK_FAULT_RELAY;
  if (!dataDir || !relay) throw new Error("NLINK_FAULT_DATA and NLINK_FAULT_RELAY are required");
  const approvals = (process.env.NLINK_FAULT_APPROVALS ?? "phone") as "both" | "phone" | "desktop";
  // Decided from the data dir, not the environment: the environment must be the same on every
  // start, or a task approved before a restart is refused as asked in another context.
  const firstStart = !existsSync(join(dataDir, "hub.db"));
  const log = pino({ level: process.env.NLINK_LOG_LEVEL ?? "warn" }, pino.destination(2));
  const hub = await HubNode.start({
    dataDir,
    relay,
    name: "Fault Hub",
    approvals,
    log,
    executor: { defaultCwd: dataDir, terminalShell: "/bin/sh" },
  });
  hub.onQuestion((q) => {
    if (q.kind === "pairing") void hub.answerPairing({ requestId: q.requestId, accept: true });
  });
  hub.on("pairing.done", (d) => d.accepted && say(`PAIRED ${d.device?.name ?? "?"}`));
  hub.on("task", (t) => say(`TASK ${t.id} ${t.state}`));
  await hub.whenOnline();
  say(`HUB ONLINE ${hub.device}`);
  if (firstStart) say(`PAIR ${(await hub.startPairing()).uri}`);
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", () => resolve());
    process.once("SIGINT", () => resolve());
  });
  await hub.stop();
  say("HUB STOPPED");
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`hub-main failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
