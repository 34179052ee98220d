/**
 * The relay of the terminal benchmark, in its own process (as it would be on its
 * own machine), so that it does not share the hub's event loop:
 *   tsx bench/terminal-relay-serve.ts <bytesPerSecond|default>
 * prints the gateway URL on its first line, and stops when its stdin closes.
 */
import { startRelay } from "@neural-link/relay";
import { pino } from "pino";

const bps = process.argv[2] === "default" || process.argv[2] === undefined ? null : Number(process.argv[2]);
const relay = await startRelay({
  host: "127.0.0.1",
  port: 0,
  db: "memory",
  logger: pino({ level: "silent" }),
  ...(bps ? { limits: { bytesPerSecond: bps }, exceedProtocolLimits: true } : {}),
});
process.stdout.write(`${relay.url}\n`);
process.stdin.resume();
process.stdin.on("end", () => void relay.close().then(() => process.exit(0)));
