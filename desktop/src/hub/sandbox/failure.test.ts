import { describe, expect, it } from "vitest";
import { sandboxFailure } from "./failure";

/**
 * Outputs captured from real programs run in the bubblewrap sandbox of this module
 * (sandboxed runTask on a pty, hence the \r\n), plus the controls that must not count.
 */
const TABLE: [program: string, exitCode: number, output: string, expected: "write" | "network" | null][] = [
  ["touch", 1, "touch: cannot touch 'f': Read-only file system\r\n", "write"],
  ["cp", 1, "cp: cannot create regular file 'g': Read-only file system\r\n", "write"],
  ["mkdir", 1, "mkdir: cannot create directory ‘d’: Read-only file system\r\n", "write"],
  ["sh redirection", 2, "nl-task: 1: eval: cannot create f: Read-only file system\r\n", "write"],
  ["rm", 1, "rm: cannot remove 'f': Read-only file system\r\n", "write"],
  ["mv", 1, "mv: cannot move 'f' to 'g': Read-only file system\r\n", "write"],
  ["chmod", 1, "chmod: changing permissions of 'f': Read-only file system\r\n", "write"],
  ["ln", 1, "ln: failed to create symbolic link 'g': Read-only file system\r\n", "write"],
  ["install", 1, "install: cannot create regular file 'g': Read-only file system\r\n", "write"],
  ["gzip", 1, "gzip: f.gz: Read-only file system\r\n", "write"],
  [
    "git commit",
    128,
    "fatal: Unable to create '/var/tmp/nl-a/repo/.git/index.lock': Read-only file system\r\n",
    "write",
  ],
  ["git clone", 128, "fatal: could not create work tree dir 'b': Read-only file system\r\n", "write"],
  [
    "python open",
    1,
    "Traceback (most recent call last):\r\n  File \"<string>\", line 1, in <module>\r\nOSError: [Errno 30] Read-only file system: 'f'\r\n",
    "write",
  ],
  [
    "node writeFileSync",
    1,
    "\nError: EROFS: read-only file system, open 'x'\r\n    at Object.writeFileSync (node:fs:2380:20)\r\n",
    "write",
  ],
  ["sh redirection as a non-root user", 2, "nl-task: 1: eval: cannot create /etc/x: Permission denied\r\n", "write"],
  ["curl", 6, "curl: (6) Could not resolve host: example.com\r\n", "network"],
  [
    "curl to an address",
    7,
    "curl: (7) Failed to connect to 1.1.1.1 port 80 after 0 ms: Couldn't connect to server\r\n",
    "network",
  ],
  [
    "wget",
    4,
    "--2026-11-29 07:26:18--  https://example.com/x\r\nResolving example.com (example.com)... failed: Temporary failure in name resolution.\r\nwget: unable to resolve host address ‘example.com’\r\n",
    "network",
  ],
  ["ssh", 255, "ssh: Could not resolve hostname github.com: Temporary failure in name resolution\r\r\n", "network"],
  [
    "python urllib",
    1,
    "    raise URLError(err)\r\nurllib.error.URLError: <urlopen error [Errno -3] Temporary failure in name resolution>\r\n",
    "network",
  ],
  [
    "npm",
    1,
    "npm error code EAI_AGAIN\r\nnpm error syscall getaddrinfo\r\nnpm error request to https://registry.npmjs.org/left-pad failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org\r\n",
    "network",
  ],
  [
    "npm, coloured",
    1,
    "\u001b[1G\u001b[0K\u001b[1mnpm\u001b[22m \u001b[31merror\u001b[39m \u001b[94mcode\u001b[39m EAI_AGAIN\r\n\u001b[1mnpm\u001b[22m \u001b[31merror\u001b[39m request to https://registry.npmjs.org/left-pad failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org\r\n",
    "network",
  ],
  ["a colour between the words", 1, "\u001b[31mtouch: cannot touch 'f': Read-only\u001b[0m file system\r\n", "write"],
  ["node fetch", 1, "EAI_AGAIN fetch failed\r\n", "network"],
  [
    "socat",
    1,
    "2026/11/29 07:26:30 socat[3] E connect(5, AF=2 10.0.0.1:80, 16): Network is unreachable\r\n",
    "network",
  ],
  [
    "psql over its Unix socket",
    2,
    'psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: could not create socket: Permission denied\r\n',
    "network",
  ],
  [
    "python Unix socket",
    1,
    'Traceback (most recent call last):\r\n  File "/usr/lib/python3.11/socket.py", line 232, in __init__\r\n    _socket.socket.__init__(self, family, type, proto, fileno)\r\nPermissionError: [Errno 13] Permission denied\r\n',
    "network",
  ],
  // Not the sandbox's doing (the last two are written here, as controls).
  [
    "curl to loopback",
    7,
    "curl: (7) Failed to connect to 127.0.0.1 port 5432 after 0 ms: Couldn't connect to server\r\n",
    null,
  ],
  ["missing file", 1, "cat: /root/.ssh/nonexist: No such file or directory\r\n", null],
  ["ls missing", 2, "ls: cannot access '/nonexistent': No such file or directory\r\n", null],
  ["false", 1, "", null],
  ["wget -q (prints nothing)", 4, "", null],
  ["su", 1, "su: cannot set groups: Operation not permitted\r\n", null],
  ["reading an unreadable file", 1, "cat: /etc/shadow: Permission denied\r\n", null],
  ["a test failure", 1, "FAIL src/x.test.ts\r\nexpected 2 to be 3\r\n", null],
];

describe("sandboxFailure on real outputs", () => {
  it.each(TABLE)("%s (exit %i)", (_program, exitCode, output, expected) => {
    expect(sandboxFailure(exitCode, output)).toBe(expected);
  });

  it("never blames the sandbox for a run that succeeded", () => {
    for (const [, , output] of TABLE) expect(sandboxFailure(0, output)).toBeNull();
  });

  it("reads only the tail of a long output", () => {
    expect(sandboxFailure(1, `touch: cannot touch 'f': Read-only file system\n${"x".repeat(10_000)}`)).toBeNull();
    expect(sandboxFailure(1, `${"x".repeat(10_000)}\ntouch: cannot touch 'f': Read-only file system\n`)).toBe("write");
  });
});
