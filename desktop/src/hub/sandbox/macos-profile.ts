/**
 * The macOS `sandbox-exec` (Seatbelt) profile of a sandboxed task, in SBPL.
 *
 * NOT RUN HERE: the project's machines are Linux; this generator is type-checked and
 * unit-tested as text only (docs/risk-policy.md, "The sandbox"). It follows the same
 * promise as the bubblewrap sandbox:
 *
 * - deny by default, then allow: running programs, reading files (except `hidden`),
 *   writing only the run's own temp folder, the workspace grants and /dev/null-like
 *   devices;
 * - no network at all (`network*` is not allowed, which covers Unix sockets too);
 * - signals and process information only within the sandbox (`same-sandbox`);
 * - Mach services only from a short list needed by command-line programs (user and
 *   group lookups, logging, notifications); everything else is unreachable, so a task
 *   cannot drive other apps (Apple events), the pasteboard or launchd.
 *
 * Paths must be real paths (macOS /tmp is /private/tmp): launcher.ts resolves them.
 */

export interface MacosProfileInput {
  /** The run's private temp folder (TMPDIR), writable, removed afterwards. */
  tmp: string;
  /** Workspace grants: writable folders. */
  writable: string[];
  /** Paths neither readable nor writable (the hub's data directory). */
  hidden: string[];
}

/** Mach services command-line programs need; nothing that acts on other apps. */
const MACH_SERVICES = [
  "com.apple.system.opendirectoryd.libinfo",
  "com.apple.system.opendirectoryd.membership",
  "com.apple.system.logger",
  "com.apple.logd",
  "com.apple.system.notification_center",
  "com.apple.bsd.dirhelper",
  "com.apple.trustd.agent",
];

/** An SBPL string literal: backslashes and quotes escaped, no control characters. */
export function sbplString(s: string): string {
  if ([...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    throw new Error("sandbox profile paths cannot contain control characters");
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

const subpaths = (paths: string[]) => paths.map((p) => `(subpath ${sbplString(p)})`).join(" ");

/**
 * The profile text for `sandbox-exec -p`.
 *
 * @example macosProfile({ tmp: "/private/var/folders/x/T/nl-task-1", writable: [], hidden: ["/Users/me/Library/Application Support/neural-link"] })
 */
export function macosProfile(input: MacosProfileInput): string {
  const lines = [
    "(version 1)",
    "(deny default)",
    // Programs may run and fork; only within this sandbox can they be seen or signalled.
    "(allow process-exec process-fork)",
    "(allow process-info* (target same-sandbox))",
    "(allow signal (target same-sandbox))",
    "(allow sysctl-read)",
    "(allow user-preference-read)",
    `(allow mach-lookup ${MACH_SERVICES.map((s) => `(global-name ${sbplString(s)})`).join(" ")})`,
    "(allow ipc-posix-shm-read-data ipc-posix-shm-write-data ipc-posix-shm-read-metadata)",
    // Reading: everything the user can read, except the hidden paths (later rules win).
    "(allow file-read*)",
    // Writing: the run's temp folder, the grants, and the harmless devices.
    `(allow file-write* (subpath ${sbplString(input.tmp)})${input.writable.length > 0 ? ` ${subpaths(input.writable)}` : ""})`,
    '(allow file-write-data (literal "/dev/null") (literal "/dev/zero") (literal "/dev/dtracehelper") (regex #"^/dev/tty") (regex #"^/dev/ttys[0-9]+$"))',
    '(allow file-ioctl (regex #"^/dev/tty"))',
  ];
  if (input.hidden.length > 0) lines.push(`(deny file-read* file-write* ${subpaths(input.hidden)})`);
  // Stated although (deny default) covers it: no network, Unix sockets included.
  lines.push("(deny network*)");
  return `${lines.join("\n")}\n`;
}
