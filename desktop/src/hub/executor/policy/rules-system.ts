import { judgeWriteTarget } from "./paths";
import { hasLong, splitArgs, type Rule } from "./rule-context";
import { judgeAssignment } from "./rules-wrappers";

/** Rules for shells, network tools, services, processes and other system programs. */

const DOWNLOADERS = new Set(["curl", "wget", "fetch", "aria2c"]);

/** `sh -c SCRIPT` is judged by its script; a shell reading a pipe runs code nobody can see. */
const shell =
  (name: string): Rule =>
  (args, ctx) => {
    let script: string | undefined;
    let hasC = false;
    let file: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === "--version" || a === "--help") return ctx.add("low", `${name} ${a} prints information`);
      if (/^-[A-Za-z]*c[A-Za-z]*$/.test(a)) hasC = true;
      else if (a === "-o" || a === "+o" || a === "-O" || a === "+O") i++;
      else if (!a.startsWith("-") && !a.startsWith("+")) {
        if (hasC) script = a;
        else file = a;
        break;
      }
    }
    if (hasC) {
      if (script === undefined) return ctx.add("high", `${name} -c without a script`);
      return ctx.judgeScript(script);
    }
    if (file !== undefined) return ctx.add("high", `${name} runs the script file ${file}, whose contents the policy cannot check`);
    const stdin = ctx.stdin;
    switch (stdin.kind) {
      case "heredoc":
        return ctx.judgeScript(stdin.body);
      case "pipe": {
        const dl = stdin.from.find((p) => DOWNLOADERS.has(p));
        if (dl) return ctx.addFixed("high", `pipes a download (${dl}) straight into ${name}: the downloaded script runs unseen`);
        return ctx.add("high", `${name} runs commands read from its input, which the policy cannot check`);
      }
      case "terminal":
        return ctx.add("high", `${name} starts an interactive shell`);
      default: {
        const never: never = stdin;
        return never;
      }
    }
  };

/** Value of an option given as `-o X`, `-oX` or `--output=X`. */
function optionValues(args: readonly string[], short: string, long: string): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    if (a === short || a === long) out.push(args[i + 1] ?? "");
    else if (a.startsWith(long + "=")) out.push(a.slice(long.length + 1));
    else if (a.startsWith(short) && a.length > short.length && !a.startsWith("--")) out.push(a.slice(short.length));
  });
  return out;
}

const curl: Rule = (args, ctx) => {
  const uploads = [...optionValues(args, "-d", "--data"), ...optionValues(args, "-F", "--form"), ...args.filter((a, i) => args[i - 1]?.startsWith("--data-"))];
  if (uploads.some((u) => u.includes("@")) || args.some((a) => a === "-T" || a === "--upload-file")) return ctx.add("high", "curl uploads a local file");
  for (const out of optionValues(args, "-o", "--output")) {
    const f = judgeWriteTarget(out, ctx, "curl writes to");
    if (f) return ctx.add(f.risk, f.reason);
  }
  ctx.add("low", "curl fetches a URL");
};

const wget: Rule = (args, ctx) => {
  if (args.some((a) => a.startsWith("--post-file") || a.startsWith("--body-file"))) return ctx.add("high", "wget uploads a local file");
  for (const out of optionValues(args, "-O", "--output-document")) {
    const f = judgeWriteTarget(out, ctx, "wget writes to");
    if (f) return ctx.add(f.risk, f.reason);
  }
  ctx.add("low", "wget downloads a file");
};

const awk: Rule = (args, ctx) => {
  let i = 0;
  while (i < args.length && args[i].startsWith("-")) {
    if (args[i] === "-f") return ctx.add("high", `awk runs the program file ${args[i + 1] ?? ""}`);
    i += args[i] === "-F" || args[i] === "-v" ? 2 : 1;
  }
  const program = args[i] ?? "";
  if (/system\s*\(|\|\s*(getline|")|"\s*\||print[f]?[^;}]*>/.test(program)) return ctx.add("high", "the awk program runs commands or writes files");
  ctx.add("low", "awk transforms text");
};

const source: Rule = (args, ctx) => ctx.add("high", `runs the script file ${args[0] ?? "(none)"} in the shell, whose contents the policy cannot check`);

const trap: Rule = (args, ctx) => {
  const action = args[0];
  if (action !== undefined && !action.startsWith("-") && args.length > 1) ctx.judgeScript(action);
  ctx.add("low", "trap sets a signal handler");
};

const declare: Rule = (args, ctx) => {
  let risky = false;
  for (const a of args) if (a.includes("=")) risky = judgeAssignment(a, ctx) || risky;
  if (!risky) ctx.add("low", "sets shell variables");
};

const fixed =
  (risk: "low" | "high", reason: string): Rule =>
  (_args, ctx) =>
    ctx.add(risk, reason);

const unlessReadOnly =
  (name: string, readOnly: (args: string[]) => boolean, reason: string, lowReason: string): Rule =>
  (args, ctx) =>
    readOnly(args) ? ctx.add("low", `${name} ${lowReason}`) : ctx.add("high", `${name} ${reason}`);

const NETWORK = "changes network or firewall configuration";
const SERVICES = "controls system services";
const MOUNTS = "attaches or detaches filesystems and block devices";
const POWER = "shuts down or restarts the machine";
const KILLS = "stops processes";

export const SYSTEM_RULES: Record<string, Rule> = {
  sh: shell("sh"),
  bash: shell("bash"),
  zsh: shell("zsh"),
  dash: shell("dash"),
  ksh: shell("ksh"),
  mksh: shell("mksh"),
  ash: shell("ash"),
  fish: shell("fish"),
  eval: (args, ctx) => ctx.judgeScript(args.join(" ")),
  source,
  ".": source,
  trap,
  export: declare,
  declare,
  typeset: declare,
  local: declare,
  readonly: declare,
  curl,
  wget,
  awk,
  gawk: awk,
  mawk: awk,
  hostname: unlessReadOnly("hostname", (a) => a.every((x) => x.startsWith("-")), "changes the host name", "prints the host name"),
  date: unlessReadOnly("date", (a) => !a.some((x) => x === "-s" || x.startsWith("--set")), "sets the system clock", "prints the date"),
  crontab: unlessReadOnly("crontab", (a) => a.length === 1 && a[0] === "-l", "changes scheduled jobs", "lists scheduled jobs"),
  at: fixed("high", "at schedules commands to run later"),
  batch: fixed("high", "batch schedules commands to run later"),
  kill: unlessReadOnly("kill", (a) => a[0] === "-l" || a[0] === "-L", KILLS, "lists signals"),
  killall: fixed("high", `killall ${KILLS}`),
  killall5: fixed("high", `killall5 ${KILLS}`),
  pkill: fixed("high", `pkill ${KILLS}`),
  xkill: fixed("high", `xkill ${KILLS}`),
  skill: fixed("high", `skill ${KILLS}`),
  shutdown: fixed("high", `shutdown ${POWER}`),
  reboot: fixed("high", `reboot ${POWER}`),
  poweroff: fixed("high", `poweroff ${POWER}`),
  halt: fixed("high", `halt ${POWER}`),
  init: fixed("high", `init ${POWER}`),
  telinit: fixed("high", `telinit ${POWER}`),
  systemctl: fixed("high", `systemctl ${SERVICES}`),
  service: fixed("high", `service ${SERVICES}`),
  launchctl: fixed("high", `launchctl ${SERVICES}`),
  ip: fixed("high", `ip ${NETWORK}`),
  ifconfig: fixed("high", `ifconfig ${NETWORK}`),
  iptables: fixed("high", `iptables ${NETWORK}`),
  ip6tables: fixed("high", `ip6tables ${NETWORK}`),
  nft: fixed("high", `nft ${NETWORK}`),
  route: fixed("high", `route ${NETWORK}`),
  ufw: fixed("high", `ufw ${NETWORK}`),
  "firewall-cmd": fixed("high", `firewall-cmd ${NETWORK}`),
  nmcli: fixed("high", `nmcli ${NETWORK}`),
  iw: fixed("high", `iw ${NETWORK}`),
  iwconfig: fixed("high", `iwconfig ${NETWORK}`),
  tc: fixed("high", `tc ${NETWORK}`),
  sysctl: unlessReadOnly("sysctl", (a) => !a.some((x) => x === "-w" || x.includes("=") || x === "-p"), "changes kernel parameters", "prints kernel parameters"),
  mount: fixed("high", `mount ${MOUNTS}`),
  umount: fixed("high", `umount ${MOUNTS}`),
  losetup: fixed("high", `losetup ${MOUNTS}`),
  cryptsetup: fixed("high", `cryptsetup ${MOUNTS}`),
  swapon: fixed("high", `swapon ${MOUNTS}`),
  swapoff: fixed("high", `swapoff ${MOUNTS}`),
  hdparm: fixed("high", `hdparm ${MOUNTS}`),
  tar: (args, ctx) => {
    const s = splitArgs(args);
    const dir = optionValues(args, "-C", "--directory")[0];
    const f = dir !== undefined && (s.short.has("x") || hasLong(s, "--extract") || /^x/.test(args[0] ?? "")) ? judgeWriteTarget(dir + "/x", ctx, "tar extracts into") : null;
    if (f) ctx.add(f.risk, f.reason);
    else ctx.add("low", "tar packs or unpacks archives");
  },
};

/** Read-only programs and shell built-ins that change nothing outside the shell itself. */
export const LOW_PROGRAMS: Record<string, string> = Object.fromEntries(
  [
    ..."ls dir cat tac less more bat echo printf pwd whoami id groups who w last date cal uptime df du free head tail wc grep egrep fgrep rg ag ack uname ps pgrep top htop printenv which whereis type file stat tree uniq cut tr paste join column fold nl od xxd hexdump strings diff cmp comm md5sum sha1sum sha256sum sha512sum cksum base64 basename dirname realpath readlink seq yes jq lsblk lscpu lsusb lspci lsof lsmod ss netstat ping dig nslookup host nproc arch locale tty stty tput clear history man whatis apropos journalctl dmesg vmstat iostat getconf logname users sleep true false test [ [[ ]] : cd pushd popd dirs unset set shopt read wait exit return jobs umask hash alias unalias help zip unzip gzip gunzip zcat xz unxz bzip2".split(
      " ",
    ),
  ].map((p) => [p, `${p} only reads, prints, or changes the shell's own state`]),
);
