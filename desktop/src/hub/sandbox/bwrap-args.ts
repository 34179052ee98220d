/**
 * The bubblewrap argument list of a sandboxed task. Pure: paths arrive already resolved
 * (real paths that exist; see launcher.ts). Order matters: bwrap applies mounts in
 * order, so later ones cover earlier ones (hidden paths last, so a hidden path inside a
 * writable grant stays hidden).
 */

export interface BwrapPlan {
  /** Working directory inside the sandbox (the same path as outside). */
  cwd: string;
  /** Existing real folders writable inside (workspace grants). */
  writable: string[];
  /** Existing real paths to mask: a folder with an empty read-only tmpfs, a file with /dev/null. */
  hidden: { path: string; dir: boolean }[];
  /** The exact environment inside. */
  env: Record<string, string>;
  /** Size limit of the private /tmp and /dev/shm, bytes. */
  tmpSizeBytes: number;
  /** File descriptor bwrap reads the seccomp filter from. */
  seccompFd: number;
}

const under = (path: string, dir: string) => path === dir || path.startsWith(dir.endsWith("/") ? dir : `${dir}/`);

/** bwrap options (everything before `--`), each flag with the reason it is there. */
export function bwrapArgs(plan: BwrapPlan): string[] {
  const a: string[] = [];
  // The whole filesystem, read-only. bwrap binds recursively and remounts every
  // submount read-only too (verified: /sys/fs/cgroup, /dev/shm, other mounts give EROFS).
  a.push("--ro-bind", "/", "/");
  // A fresh minimal /dev (null, zero, random, tty, a private devpts): no disks, no host devices.
  a.push("--dev", "/dev");
  // A procfs of the new pid namespace: only the sandbox's own processes are visible.
  // Read-only as a whole: /proc/sys and friends are global, and bwrap 0.8 did not cover
  // /proc/sys here, so a task running as root changed vm.swappiness for the machine.
  a.push("--proc", "/proc", "--remount-ro", "/proc");
  // A private, size-bounded /tmp (and /dev/shm, which --dev leaves unbounded), thrown
  // away when the sandbox ends. --size must come right before the --tmpfs it bounds.
  a.push("--size", String(plan.tmpSizeBytes), "--tmpfs", "/tmp");
  a.push("--size", String(plan.tmpSizeBytes), "--tmpfs", "/dev/shm");
  // A working directory under the host's /tmp would vanish behind the private one: show it again, read-only.
  if (under(plan.cwd, "/tmp")) a.push("--ro-bind", plan.cwd, plan.cwd);
  // Workspace grants: writable, still without network.
  for (const dir of plan.writable) a.push("--bind", dir, dir);
  // Hidden paths (the hub's data directory with its identity key and databases).
  for (const h of plan.hidden) {
    if (h.dir) a.push("--tmpfs", h.path, "--remount-ro", h.path);
    else a.push("--ro-bind", "/dev/null", h.path);
  }
  // New user, ipc, pid, net, uts and cgroup namespaces: no network but a private
  // loopback, no SysV IPC with the host, cannot see or signal any outside process.
  a.push("--unshare-all");
  // An explicit user namespace (implied for non-root; as root it is needed for the
  // next flag), and no nested ones: they would give the task capabilities in a fresh
  // namespace, a large kernel surface for nothing a read-only command needs.
  a.push("--unshare-user", "--disable-userns");
  // If bwrap (the task's pty process) dies, the sandbox's pid 1 gets SIGKILL, and with it
  // the kernel kills every process of the pid namespace, even ones that called setsid.
  a.push("--die-with-parent");
  // No controlling terminal: TIOCSTI cannot push keystrokes into the pty (CVE-2017-5226).
  a.push("--new-session");
  // No capabilities, even when the hub runs as root.
  a.push("--cap-drop", "ALL");
  // Unix sockets, io_uring, keyrings and ptrace are refused (seccomp.ts).
  a.push("--seccomp", String(plan.seccompFd));
  // Only the documented environment (env.ts), never the hub's secrets.
  a.push("--clearenv");
  for (const [k, v] of Object.entries(plan.env)) a.push("--setenv", k, v);
  a.push("--chdir", plan.cwd);
  return a;
}
