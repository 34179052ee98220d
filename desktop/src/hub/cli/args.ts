import { homedir } from "node:os";
import { join } from "node:path";
import { APPROVALS_MODES, type ApprovalsMode } from "../store";

/** What `npm run hub -- ...` was asked to do. */
export interface CliArgs {
  dataDir: string;
  /** "embedded" or a ws:/wss: URL; undefined keeps what the data dir has. */
  relay: string | undefined;
  name: string | undefined;
  pair: boolean;
  approvals: ApprovalsMode | undefined;
  /** Port of the embedded relay; 0 picks a free one. */
  port: number;
  /** Address the embedded relay listens on. */
  host: string;
  /** URL phones should use for the embedded relay, when the LAN guess is wrong. */
  publicUrl: string | undefined;
  web: boolean;
  help: boolean;
}

export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}

/** Default port of the embedded relay: fixed, so that paired phones find it again after a restart. */
export const DEFAULT_RELAY_PORT = 8787;

export const USAGE = `Usage: npm run hub -- [options]

  --data DIR            data directory (default $NLINK_DATA or ~/.neural-link)
  --relay URL|embedded  relay to use (default: embedded, started in this process)
  --name NAME           this hub's name, shown on phones (default: the host name)
  --pair                open a pairing window and print its QR code and link
  --approvals MODE      who approves high-risk commands: both, phone or desktop
  --port N              port of the embedded relay (default ${DEFAULT_RELAY_PORT}; 0 picks a free one)
  --host ADDR           address the embedded relay listens on (default 0.0.0.0)
  --public-url URL      relay URL to put in QR codes, if the LAN address guess is wrong
  --web                 also serve the desktop UI on loopback and print its address
  --help                show this text
`;

/**
 * Parses the command line. Refuses unknown options and bad values with a
 * CliUsageError whose message says what was wrong.
 */
export function parseArgs(argv: readonly string[], env: Record<string, string | undefined> = process.env): CliArgs {
  const out: CliArgs = {
    dataDir: env.NLINK_DATA || join(homedir(), ".neural-link"),
    relay: undefined,
    name: undefined,
    pair: false,
    approvals: undefined,
    port: DEFAULT_RELAY_PORT,
    host: "0.0.0.0",
    publicUrl: undefined,
    web: false,
    help: false,
  };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new CliUsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    switch (arg) {
      case "--data":
        out.dataDir = value(i++, arg);
        break;
      case "--relay": {
        const v = value(i++, arg);
        if (v !== "embedded" && !/^wss?:\/\/.+/.test(v)) throw new CliUsageError("--relay takes a ws:// or wss:// URL, or embedded");
        out.relay = v;
        break;
      }
      case "--name":
        out.name = value(i++, arg).trim();
        if (out.name.length === 0 || out.name.length > 64) throw new CliUsageError("--name takes 1 to 64 characters");
        break;
      case "--approvals": {
        const v = value(i++, arg);
        if (!APPROVALS_MODES.includes(v as ApprovalsMode)) throw new CliUsageError(`--approvals takes one of ${APPROVALS_MODES.join(", ")}`);
        out.approvals = v as ApprovalsMode;
        break;
      }
      case "--port": {
        const n = Number(value(i++, arg));
        if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliUsageError("--port takes a number from 0 to 65535");
        out.port = n;
        break;
      }
      case "--host":
        out.host = value(i++, arg);
        break;
      case "--public-url":
        out.publicUrl = value(i++, arg);
        if (!/^wss?:\/\/.+/.test(out.publicUrl)) throw new CliUsageError("--public-url takes a ws:// or wss:// URL");
        break;
      case "--pair":
        out.pair = true;
        break;
      case "--web":
        out.web = true;
        break;
      case "--help":
      case "-h":
        out.help = true;
        break;
      default:
        throw new CliUsageError(`unknown option ${arg}`);
    }
  }
  return out;
}
