/**
 * A classic-BPF seccomp filter for sandboxed tasks (handed to bwrap as `--seccomp FD`).
 *
 * Why: a read-only bind mount does not stop `connect()` to a Unix socket. Inside a
 * bwrap sandbox with no network namespace access, `psql -h /var/run/postgresql` still
 * reached the database, and the Docker socket would be root. So `socket(AF_UNIX, ...)`
 * fails with EACCES (abstract sockets are per network namespace and already private;
 * `socketpair` keeps working: it can only talk to itself). Also denied, with EPERM:
 *
 * - `io_uring_setup/enter/register`: io_uring can open and connect sockets
 *   (IORING_OP_SOCKET, IORING_OP_CONNECT) without passing the `socket` syscall, so the
 *   rule above would be bypassed; it is also a large, bug-prone kernel surface.
 * - `add_key`, `request_key`, `keyctl`: the kernel keyrings are not namespaced; a task
 *   could read or change the user's keys (Docker's default profile denies them too).
 * - `ptrace`: the pid namespace already limits it to the sandbox's own processes;
 *   nothing a read-only command needs uses it, and it has a history of kernel bugs.
 *
 * A syscall from another ABI than the host's (i386 or x32 on x86_64, arm32 on aarch64)
 * kills the process: those tables have `socketcall`, which this filter does not
 * inspect. An unknown host architecture has no filter: the sandbox is then unavailable.
 *
 * Pure: returns the bytes of `struct sock_filter[]` ({u16 code, u8 jt, u8 jf, u32 k},
 * little-endian, the byte order of both supported architectures).
 */

/** The architectures this filter knows, by Node's `process.arch` name. */
export type SeccompArch = "x64" | "arm64";

interface ArchTable {
  auditArch: number;
  socket: number;
  denied: Record<string, number>;
  /** First syscall number of a foreign ABI sharing this arch value (x32), or null. */
  foreignFrom: number | null;
}

const TABLES: Record<SeccompArch, ArchTable> = {
  // linux/arch/x86/entry/syscalls/syscall_64.tbl
  x64: {
    auditArch: 0xc000003e,
    socket: 41,
    foreignFrom: 0x40000000,
    denied: {
      ptrace: 101,
      add_key: 248,
      request_key: 249,
      keyctl: 250,
      io_uring_setup: 425,
      io_uring_enter: 426,
      io_uring_register: 427,
    },
  },
  // include/uapi/asm-generic/unistd.h
  arm64: {
    auditArch: 0xc00000b7,
    socket: 198,
    foreignFrom: null,
    denied: {
      ptrace: 117,
      add_key: 217,
      request_key: 218,
      keyctl: 219,
      io_uring_setup: 425,
      io_uring_enter: 426,
      io_uring_register: 427,
    },
  },
};

// linux/filter.h and linux/seccomp.h
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;
const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
const RET_KILL_PROCESS = 0x80000000;
const EPERM = 1;
const EACCES = 13;
const AF_UNIX = 1;
/** Offsets into struct seccomp_data: nr (int), arch (u32), ip (u64), args[6] (u64). */
const OFF_NR = 0;
const OFF_ARCH = 4;
/** Low 32 bits of args[0] (little-endian); `int domain` only uses those. */
const OFF_ARG0_LO = 16;

interface Insn {
  code: number;
  k: number;
  /** Jump targets as labels, resolved to relative offsets when the program is laid out. */
  jt?: string;
  jf?: string;
  label?: string;
}

export function isSeccompArch(arch: string): arch is SeccompArch {
  return arch === "x64" || arch === "arm64";
}

/** The filter's instructions, with labelled jumps. */
function program(t: ArchTable): Insn[] {
  const p: Insn[] = [
    { code: LD_W_ABS, k: OFF_ARCH },
    { code: JEQ_K, k: t.auditArch, jt: "native", jf: "kill" },
    { code: LD_W_ABS, k: OFF_NR, label: "native" },
  ];
  if (t.foreignFrom !== null)
    p.push(
      { code: JGE_K, k: t.foreignFrom, jt: "kill", jf: "next0" },
      { code: JEQ_K, k: t.socket, jt: "socket", jf: "next1", label: "next0" },
    );
  else p.push({ code: JEQ_K, k: t.socket, jt: "socket", jf: "next1" });
  const denied = Object.values(t.denied);
  denied.forEach((nr, i) => p.push({ code: JEQ_K, k: nr, jt: "eperm", jf: `next${i + 2}`, label: `next${i + 1}` }));
  p.push(
    { code: RET_K, k: RET_ALLOW, label: `next${denied.length + 1}` },
    { code: LD_W_ABS, k: OFF_ARG0_LO, label: "socket" },
    { code: JEQ_K, k: AF_UNIX, jt: "eacces", jf: "allow" },
    { code: RET_K, k: RET_ALLOW, label: "allow" },
    { code: RET_K, k: RET_ERRNO | EACCES, label: "eacces" },
    { code: RET_K, k: RET_ERRNO | EPERM, label: "eperm" },
    { code: RET_K, k: RET_KILL_PROCESS, label: "kill" },
  );
  return p;
}

/**
 * The filter for `arch` as bytes ready for bwrap's `--seccomp FD`.
 *
 * @example writeFileSync(path, buildSeccompFilter("x64"), { mode: 0o600 });
 */
export function buildSeccompFilter(arch: SeccompArch): Buffer {
  const insns = program(TABLES[arch]);
  const at = new Map<string, number>();
  insns.forEach((insn, i) => insn.label !== undefined && at.set(insn.label, i));
  const rel = (from: number, label: string | undefined): number => {
    if (label === undefined) return 0;
    const to = at.get(label);
    // BPF jumps only go forward, by at most 255 instructions.
    if (to === undefined || to <= from || to - from - 1 > 255) throw new Error(`bad seccomp jump to ${label}`);
    return to - from - 1;
  };
  const buf = Buffer.alloc(insns.length * 8);
  insns.forEach((insn, i) => {
    buf.writeUInt16LE(insn.code, i * 8);
    buf.writeUInt8(rel(i, insn.jt), i * 8 + 2);
    buf.writeUInt8(rel(i, insn.jf), i * 8 + 3);
    buf.writeUInt32LE(insn.k >>> 0, i * 8 + 4);
  });
  return buf;
}

/** Syscalls the filter denies besides `socket(AF_UNIX)`, for docs and tests. */
export function deniedSyscalls(arch: SeccompArch): Readonly<Record<string, number>> {
  return TABLES[arch].denied;
}
