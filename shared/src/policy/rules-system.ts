import { fixed, type Rule } from "./rule-context";

/**
 * Programs that are high by their purpose: they talk to other machines, control
 * processes, services, power, mounts and the network configuration, schedule jobs, open
 * pagers and editors (which can run commands), or build projects (which runs the
 * project's own scripts). Each gets a plain-words reason for the approval card.
 */

const group = (names: readonly string[], reason: (name: string) => string): Record<string, Rule> => Object.fromEntries(names.map((n) => [n, fixed("high", reason(n))]));

const NETWORK = ["curl", "wget", "fetch", "aria2c", "http", "https", "ssh", "scp", "sftp", "ftp", "tftp", "telnet", "nc", "ncat", "netcat", "socat", "ping", "ping6", "traceroute", "tracepath", "mtr", "dig", "nslookup", "host", "whois", "nmap", "openssl", "gpg", "rclone", "s3cmd", "aws", "gcloud", "az", "gh", "ssh-copy-id", "ssh-keygen", "mosh", "lftp", "smbclient", "ldapsearch", "tailscale", "ngrok"];
const NETWORK_CONFIG = ["ip", "ifconfig", "iptables", "ip6tables", "nft", "route", "ufw", "firewall-cmd", "nmcli", "iw", "iwconfig", "tc", "ss", "arp", "ethtool", "sysctl"];
const SERVICES = ["systemctl", "service", "launchctl", "journalctl", "loginctl", "docker", "podman", "kubectl", "crictl", "containerd", "lxc", "virsh", "vagrant"];
const POWER = ["shutdown", "reboot", "poweroff", "halt", "init", "telinit", "suspend", "pm-suspend"];
const PROCESSES = ["kill", "killall", "killall5", "pkill", "xkill", "skill", "renice", "disown", "bg", "fg"];
const SCHEDULES = ["crontab", "at", "batch", "atrm", "anacron"];
const MOUNTS = ["mount", "umount", "losetup", "cryptsetup", "swapon", "swapoff", "hdparm", "modprobe", "insmod", "rmmod", "udevadm"];
const PAGERS = ["less", "more", "most", "pg", "man", "info", "bat", "w3m", "lynx", "links", "xdg-open", "open"];
const EDITORS = ["vi", "vim", "nvim", "view", "ex", "ed", "nano", "pico", "emacs", "emacsclient", "code", "subl", "joe", "micro", "hx", "kak"];
const BUILD = ["make", "gmake", "cmake", "ninja", "meson", "bazel", "buck", "scons", "gradle", "gradlew", "mvn", "ant", "sbt", "lein", "cargo", "rustc", "go", "gcc", "g++", "cc", "clang", "clang++", "ld", "tsc", "vite", "webpack", "esbuild", "just", "rake", "task", "tox", "nox", "pytest", "jest", "vitest", "mocha", "dotnet", "swift", "xcodebuild", "terraform", "ansible", "ansible-playbook"];
const ACCOUNTS = ["useradd", "userdel", "usermod", "groupadd", "groupdel", "passwd", "chpasswd", "visudo", "adduser", "deluser", "chsh", "newgrp", "login", "sg"];

export const SYSTEM_RULES: Record<string, Rule> = {
  ...group(NETWORK, (n) => `\`${n}\` talks to the network`),
  ...group(NETWORK_CONFIG, (n) => `\`${n}\` reads or changes network or kernel configuration`),
  ...group(SERVICES, (n) => `\`${n}\` controls services, containers or their logs (and may open a pager)`),
  ...group(POWER, (n) => `\`${n}\` shuts down or restarts the machine`),
  ...group(PROCESSES, (n) => `\`${n}\` controls or stops processes`),
  ...group(SCHEDULES, (n) => `\`${n}\` schedules commands to run later`),
  ...group(MOUNTS, (n) => `\`${n}\` attaches or detaches filesystems, devices or kernel modules`),
  ...group(PAGERS, (n) => `\`${n}\` is a pager or viewer, which can run commands and open an editor`),
  ...group(EDITORS, (n) => `\`${n}\` is an editor: it writes files and can run commands`),
  ...group(BUILD, (n) => `\`${n}\` builds or tests a project, which runs the project's own scripts and tools`),
  ...group(ACCOUNTS, (n) => `\`${n}\` changes user accounts or logs in`),
};
