import type { SandboxBlocked } from "./types";

/**
 * Did a sandboxed run fail BECAUSE of the sandbox? Read from the exit code and the tail
 * of its output (the messages real programs print when a write hits the read-only
 * filesystem or a connection finds no network; failure.test.ts holds outputs captured
 * from real programs in the sandbox). A run that succeeded is never "blocked", even if
 * it printed such a message along the way.
 *
 * Only a hint for the phone's one-tap "run it for real" (a new high-risk request with
 * its own approval): a wrong guess costs an extra tap or a missing button, never a
 * write or a connection.
 */

/** Terminal escape sequences: CSI (colours, cursor) and OSC (titles). */
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g;

/** Output tail read, in code units: the error is at the end. */
const TAIL = 4096;

/**
 * Unix sockets are refused by the seccomp filter (EACCES when the socket is created): checked first, as it says
 * "Permission denied" too.
 */
const UNIX_SOCKET: RegExp[] = [
  /could not create socket: permission denied/i,
  /socket[^\n]*(permission denied|operation not permitted)/i,
  /_socket\.socket\.__init__[\s\S]*PermissionError: \[Errno 13\]/,
];

const WRITE: RegExp[] = [
  /read-only file system/i,
  /\bEROFS\b/,
  // "Permission denied" is a write refusal in the sandbox only next to a write verb; a
  // plain read of an unreadable file says the same and is not the sandbox's doing.
  /(cannot|can't|could not|couldn't|unable to|failed to) (create|touch|remove|write|make|mkdir|rename|move|overwrite|lock|unlink|symlink|link|copy|save)[^\n]*(permission denied|operation not permitted|read-only)/i,
  /\bEACCES\b[^\n]*(open|mkdir|rename|unlink|write|symlink)/,
  /\bEPERM\b[^\n]*(open|mkdir|rename|unlink|write|symlink|chmod)/,
  /unable to (create|write)[^\n]*\.lock/i,
];

const NETWORK: RegExp[] = [
  /network is unreachable/i,
  /\bENETUNREACH\b/,
  /could not resolve (host|hostname|proxy)/i,
  /temporary failure in name resolution/i,
  /name or service not known/i,
  /\bEAI_AGAIN\b/,
  /\bENOTFOUND\b/,
  /no address associated with hostname/i,
  /could not resolve hostname/i,
  /unable to resolve host address/i,
  /failed to resolve/i,
  /getaddrinfo/i,
];

/** Connection refused is the sandbox's doing only towards a non-loopback address (the loopback inside is empty). */
const REFUSED = /connection refused|\bECONNREFUSED\b|failed to connect/i;
const LOOPBACK = /\b(127\.\d+\.\d+\.\d+|localhost|::1)\b/;

/**
 * "write", "network" or null (not the sandbox, or exit code 0).
 *
 * @example sandboxFailure(1, "touch: cannot touch 'x': Read-only file system") // "write"
 */
export function sandboxFailure(exitCode: number, output: string): SandboxBlocked | null {
  if (exitCode === 0) return null;
  // Colours and cursor moves (npm, cargo) can split the words apart.
  const tail = output.slice(-TAIL).replace(ANSI, "");
  if (UNIX_SOCKET.some((r) => r.test(tail))) return "network";
  if (WRITE.some((r) => r.test(tail))) return "write";
  if (NETWORK.some((r) => r.test(tail))) return "network";
  for (const line of tail.split(/\r?\n/)) if (REFUSED.test(line) && !LOOPBACK.test(line)) return "network";
  return null;
}
