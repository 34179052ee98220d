// `npm run hub -- [options]` and `npm run hub -- devices ...`: the hub
// without Electron. Prints what it does in plain words (never a key or
// token), asks its questions on the terminal, and on failure prints one
// sentence and exits non-zero.
import { pino } from "pino";
import { type CliArgs, CliUsageError, parseArgs, USAGE } from "./args";
import { CliError, explainError, prepareDataDir } from "./cli-errors";
import { DeviceOpError } from "./device-ops";
import { runDevices } from "./devices-command";

const say = (text: string) => process.stdout.write(`${text}\n`);

async function main(): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof CliUsageError)) throw err;
    process.stderr.write(`${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    say(USAGE);
    return 0;
  }
  try {
    prepareDataDir(args.dataDir);
    if (args.command.kind === "devices") {
      // Diagnostics go to stderr as JSON; stdout is for the person.
      const log = pino({ level: process.env.NLINK_LOG_LEVEL ?? "warn" }, pino.destination(2));
      return await runDevices(args.command.devices, args.dataDir, say, log);
    }
    // Loaded only to run the hub: the devices subcommands and errors stay quick.
    const { runHub } = await import("./run-hub");
    return await runHub(args);
  } catch (err) {
    const sentence =
      err instanceof DeviceOpError ? err.message : explainError(err, { dataDir: args.dataDir, port: args.port });
    process.stderr.write(`${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.\n`.replace(/([.?!])\.\n$/, "$1\n"));
    if (process.env.NLINK_DEBUG && !(err instanceof CliError))
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `The hub stopped on an unexpected error: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(1);
  },
);
