import type { ReadOnlySpec } from "./options";

/**
 * The read-only allow-list, part two: programs that print facts about the system or
 * the shell, and shell built-ins that change nothing but the shell's own position
 * (`cd`). Left out on purpose: `date -s`/`date MMDDhhmm` (sets the clock), `hostname
 * NAME`/`-F` (sets the host name), `dmesg -C/-c/-n/-D/-E` (clears or reconfigures the
 * kernel log), `printf -v` (assigns a variable), `ss -K` (closes sockets).
 */

const anyOption = (does: string, extra: Partial<ReadOnlySpec> = {}): ReadOnlySpec => ({
  does,
  anyOption: true,
  ...extra,
});

export const READ_ONLY_SYSTEM: Record<string, ReadOnlySpec> = {
  // Programs without a single option that writes or runs anything.
  ps: anyOption("lists processes and only reads"),
  uname: anyOption("prints system information and only reads"),
  uptime: anyOption("prints how long the machine has been up and only reads"),
  free: anyOption("prints memory usage and only reads"),
  id: anyOption("prints user and group ids and only reads"),
  whoami: anyOption("prints your user name and only reads"),
  groups: anyOption("prints your groups and only reads"),
  who: anyOption("lists logged-in users and only reads"),
  w: anyOption("lists logged-in users and only reads"),
  users: anyOption("lists logged-in users and only reads"),
  logname: anyOption("prints your login name and only reads"),
  tty: anyOption("prints the terminal name and only reads"),
  arch: anyOption("prints the machine architecture and only reads"),
  nproc: anyOption("prints the number of processors and only reads"),
  lscpu: anyOption("describes the processors and only reads"),
  lsblk: anyOption("lists block devices and only reads"),
  lsusb: anyOption("lists USB devices and only reads"),
  lspci: anyOption("lists PCI devices and only reads"),
  lsmod: anyOption("lists kernel modules and only reads"),
  lsof: anyOption("lists open files and only reads", { harmful: { "-D": "can write a device cache file" } }),
  netstat: anyOption("lists network sockets and only reads"),
  vmstat: anyOption("prints memory statistics and only reads"),
  iostat: anyOption("prints disk statistics and only reads"),
  getconf: anyOption("prints system settings and only reads"),
  locale: anyOption("prints locale settings and only reads"),
  cal: anyOption("prints a calendar and only reads"),
  printenv: anyOption("prints environment variables and only reads"),
  true: anyOption("does nothing"),
  false: anyOption("does nothing"),
  ":": anyOption("does nothing"),
  test: anyOption("tests a condition and only reads"),
  "[": anyOption("tests a condition and only reads"),
  sleep: anyOption("waits"),
  yes: anyOption("prints a line repeatedly"),
  seq: anyOption("prints a sequence of numbers"),
  echo: anyOption("prints its arguments", { optionsFirst: true }),
  pwd: {
    does: "prints the current directory and only reads",
    flags: "LP",
    maxOperands: 0,
    extraOperands: "is not how `pwd` is used",
    harmlessOptions: true,
  },
  which: { does: "finds where a program is and only reads", flags: "as", harmlessOptions: true },
  type: { does: "describes a command name and only reads", flags: "aftpP", harmlessOptions: true },
  whereis: { does: "finds a program's files and only reads", flags: "bmsulBMSf", harmlessOptions: true },
  hostname: {
    does: "prints the host name and only reads",
    flags: "fsdiIAa",
    long: ["fqdn", "short", "domain", "ip-address", "all-ip-addresses", "all-fqdns", "alias", "help", "version"],
    maxOperands: 0,
    extraOperands: "sets the host name",
    harmful: {
      "-F": "sets the host name from a file",
      "--file": "sets the host name from a file",
      "-b": "sets a default host name",
      "--boot": "sets a default host name",
    },
  },
  date: {
    does: "prints the date and only reads",
    flags: "uR",
    valued: "dfr",
    harmful: { "-s": "sets the system clock", "--set": "sets the system clock" },
    long: [
      "date=",
      "file=",
      "iso-8601?",
      "rfc-email",
      "rfc-3339=",
      "reference=",
      "utc",
      "universal",
      "debug",
      "help",
      "version",
    ],
    check: (operands, ctx) => {
      // `date MMDDhhmm` (an operand without `+`) sets the clock.
      if (operands.every((o) => !o.dynamic && o.text.startsWith("+")) && operands.length <= 1) return true;
      ctx.add("high", "`date` with an operand that is not a `+FORMAT` sets the system clock");
      return false;
    },
  },
  dmesg: {
    does: "prints the kernel log and only reads",
    flags: "dehkLrtTuxwHPS",
    valued: "flsF",
    harmful: {
      "-C": "clears the kernel log",
      "--clear": "clears the kernel log",
      "-c": "clears the kernel log after printing it",
      "--read-clear": "clears the kernel log after printing it",
      "-n": "changes the console log level",
      "--console-level": "changes the console log level",
      "-D": "turns console logging off",
      "--console-off": "turns console logging off",
      "-E": "turns console logging on",
      "--console-on": "turns console logging on",
    },
    long: [
      "ctime",
      "decode",
      "human",
      "kernel",
      "level=",
      "facility=",
      "raw",
      "reltime",
      "notime",
      "time-format=",
      "userspace",
      "show-delta",
      "nopager",
      "follow",
      "color?",
      "since=",
      "until=",
      "help",
      "version",
    ],
  },
  // Shell built-ins that move around or report, changing nothing outside the shell.
  cd: { does: "changes the shell's current directory", flags: "LPe@", harmlessOptions: true },
  pushd: { does: "changes the shell's current directory", flags: "n", harmlessOptions: true },
  popd: { does: "changes the shell's current directory", flags: "n", harmlessOptions: true },
  dirs: { does: "lists the shell's directory stack", flags: "clpv", harmlessOptions: true },
  exit: anyOption("ends the shell"),
  return: anyOption("returns from the shell"),
  wait: anyOption("waits for background jobs"),
  jobs: anyOption("lists background jobs"),
  shift: anyOption("shifts the shell's arguments"),
  umask: {
    does: "prints the file-creation mask",
    flags: "S",
    maxOperands: 0,
    extraOperands: "changes the permissions of files created later",
  },
  history: { does: "lists the shell's history", maxOperands: 0, extraOperands: "changes the history file" },
};
