import { homedir } from "node:os";
import { join } from "node:path";
import { type ParseArgsConfig, parseArgs as parseArgv } from "node:util";
import { APPROVALS_MODES, type ApprovalsMode } from "../store";
import { parseDevicesCommand, type DevicesCommand } from "./devices-args";
import { normalizeRelayUrl } from "./relay-url";

/** What `npm run hub -- ...` was asked to do. */
export interface CliArgs {
  /** Run the hub, or a `devices ...` subcommand against a data directory. */
  command: { kind: "hub" } | { kind: "devices"; devices: DevicesCommand };
  dataDir: string;
  /** "embedded" or a ws:/wss: URL ending in the gateway path; undefined keeps what the data dir has. */
  relay: string | undefined;
  /** Forget the relay ids trusted on first use, so a relay moved on purpose is trusted again. */
  forgetRelay: boolean;
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
  /** Port of the web UI; undefined keeps the stored one (a free one the first time). */
  webPort: number | undefined;
  /** Replace the web UI's stored token: addresses printed before stop working. */
  rotateWebToken: boolean;
  /** Build the phone app and web UI first when their sources changed. */
  build: boolean;
  help: boolean;
}

export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}

/** Default port of the embedded relay: fixed, so that paired phones find it again after a restart. */
export const DEFAULT_RELAY_PORT = 8787;

export const USAGE = `Usage: npm run hub -- [options]
       npm run hub -- devices list|caps|grant|ungrant|revoke|rename ... [--data DIR]

Options:
  --data DIR            data directory (default $NLINK_DATA or ~/.neural-link)
  --relay URL|embedded  relay to use (default: embedded, started in this process).
                        URL is ws://HOST:PORT or wss://HOST[/PREFIX]; the gateway
                        path /v1/gateway is added when missing. Kept for later starts.
  --forget-relay        forget the relay id trusted at the first connection (after
                        you moved your relay on purpose); the next one is trusted
  --name NAME           this hub's name, shown on phones (default: the host name)
  --pair                open a pairing window and print its QR code and link
  --approvals MODE      who approves high-risk commands: both, phone or desktop
  --port N              port of the embedded relay (default ${DEFAULT_RELAY_PORT}; 0 picks a free one)
  --host ADDR           address the embedded relay listens on (default 0.0.0.0)
  --public-url URL      relay URL to put in QR codes, if the LAN address guess is wrong
  --web                 also serve the desktop UI on loopback and print its address;
                        the address (port and token) stays the same across restarts
  --web-port N          port of the desktop UI (default: the one used last time)
  --rotate-web-token    give the desktop UI a new token: old addresses stop working
  --no-build            do not rebuild the phone app and web UI when their sources changed
  --help                show this text

Devices (work on a running hub's data, or on the data directory when no hub runs):
  devices list                    paired devices with their capabilities
  devices caps                    the capabilities there are
  devices grant DEVICE CAP...     add capabilities (e.g. terminal)
  devices ungrant DEVICE CAP...   remove capabilities
  devices rename DEVICE NAME      rename a device
  devices revoke DEVICE           unpair a device; it can no longer reach this hub
  DEVICE is a device id, a unique prefix of one, or a device's name.
`;

const portValue = (v: string, flag: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliUsageError(`${flag} takes a number from 0 to 65535`);
  return n;
};

/** The options, in node:util parseArgs form (the relay's CLI parses its own the same way). */
const OPTIONS = {
  data: { type: "string" },
  relay: { type: "string" },
  name: { type: "string" },
  approvals: { type: "string" },
  port: { type: "string" },
  "web-port": { type: "string" },
  host: { type: "string" },
  "public-url": { type: "string" },
  "forget-relay": { type: "boolean" },
  pair: { type: "boolean" },
  web: { type: "boolean" },
  "rotate-web-token": { type: "boolean" },
  "no-build": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];
type OptionName = keyof typeof OPTIONS;

/** Checks one option's value and sets it on `out`. */
function applyOption(out: CliArgs, name: OptionName, v: string | undefined): void {
  const flag = `--${name}`;
  const value = v ?? "";
  switch (name) {
    case "data":
      out.dataDir = value;
      return;
    case "relay":
      out.relay = value === "embedded" ? value : normalizeRelayUrl(value, (m) => new CliUsageError(`--relay ${m}`));
      return;
    case "name":
      out.name = value.trim();
      if (out.name.length === 0 || out.name.length > 64) throw new CliUsageError("--name takes 1 to 64 characters");
      return;
    case "approvals":
      if (!APPROVALS_MODES.includes(value as ApprovalsMode))
        throw new CliUsageError(`--approvals takes one of ${APPROVALS_MODES.join(", ")}`);
      out.approvals = value as ApprovalsMode;
      return;
    case "port":
      out.port = portValue(value, flag);
      return;
    case "web-port":
      out.webPort = portValue(value, flag);
      return;
    case "host":
      out.host = value;
      return;
    case "public-url":
      out.publicUrl = value;
      if (!/^wss?:\/\/.+/.test(value)) throw new CliUsageError("--public-url takes a ws:// or wss:// URL");
      return;
    case "forget-relay":
      out.forgetRelay = true;
      return;
    case "pair":
      out.pair = true;
      return;
    case "web":
      out.web = true;
      return;
    case "rotate-web-token":
      out.rotateWebToken = true;
      return;
    case "no-build":
      out.build = false;
      return;
    case "help":
      out.help = true;
      return;
    default: {
      const never: never = name;
      throw new CliUsageError(`unknown option --${String(never)}`);
    }
  }
}

/**
 * Parses the command line with node:util `parseArgs` (tokens, so that a
 * device id starting with "-" after `devices` stays an operand). Refuses unknown options and bad values with a
 * CliUsageError whose message says what was wrong.
 */
export function parseArgs(argv: readonly string[], env: Record<string, string | undefined> = process.env): CliArgs {
  const out: CliArgs = {
    command: { kind: "hub" },
    dataDir: env.NLINK_DATA || join(homedir(), ".neural-link"),
    relay: undefined,
    forgetRelay: false,
    name: undefined,
    pair: false,
    approvals: undefined,
    port: DEFAULT_RELAY_PORT,
    host: "0.0.0.0",
    publicUrl: undefined,
    web: false,
    webPort: undefined,
    rotateWebToken: false,
    build: true,
    help: false,
  };
  const positional: string[] = [];
  let operandAt = -1;
  const { tokens } = parseArgv({
    args: [...argv],
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const t of tokens) {
    if (t.kind === "option-terminator") continue;
    if (t.kind === "positional") {
      positional.push(t.value);
      continue;
    }
    const raw = argv[t.index]!;
    // Known only as written: `--name`, `--name=value` or `-h` (a word like "-ahX" is not `-h`).
    const known = Object.hasOwn(OPTIONS, t.name) && (raw === "-h" || raw.startsWith(`--${t.name}`));
    if (!known) {
      // A device id is base64url and may itself start with "-": after `devices`, such a word is an operand
      // (node's parser splits "-Xyz" into -X -y -z, all at the same index: keep the word once).
      if (positional[0] !== "devices") throw new CliUsageError(`unknown option ${raw}`);
      if (t.index !== operandAt) positional.push(raw);
      operandAt = t.index;
      continue;
    }
    const flag = `--${t.name}`;
    if (OPTIONS[t.name as OptionName].type === "boolean") {
      if (t.value !== undefined) throw new CliUsageError(`${flag} takes no value`);
    } else if (t.value === undefined || (!t.inlineValue && t.value.startsWith("--"))) {
      throw new CliUsageError(`${flag} needs a value`);
    }
    applyOption(out, t.name as OptionName, t.value);
  }
  if (positional.length > 0) {
    if (positional[0] !== "devices") throw new CliUsageError(`unknown command ${positional[0]}`);
    out.command = { kind: "devices", devices: parseDevicesCommand(positional.slice(1), (m) => new CliUsageError(m)) };
  }
  return out;
}
