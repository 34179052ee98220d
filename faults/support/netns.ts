/**
 * A pair of network namespaces joined by a veth pair with a private /30, for
 * cuts that need real packets dropped (`tc netem loss 100%`) rather than the
 * loopback proxy (tcp-proxy.ts). Names carry the run id so concurrent runs
 * never collide; `dispose` always removes both namespaces (and with them the
 * veth ends). Addresses are 10.213.<n>.1 and .2, assigned inside our own
 * namespaces only: that traffic never leaves the machine. Needs root.
 */
import { execFileSync } from "node:child_process";
import { SHORT_ID } from "./run-id";

export interface NetnsPair {
  /** Namespace names, e.g. nlf-<id>-a. */
  a: string;
  b: string;
  addrA: string;
  addrB: string;
  /** Drops every packet leaving `a` and `b` (both directions). */
  blackhole(): void;
  heal(): void;
  /** Runs `command args` inside namespace `ns` (argv for spawn). */
  wrap(ns: string, command: string, args: string[]): { command: string; args: string[] };
  dispose(): void;
}

let counter = 0;

function ip(...args: string[]): void {
  execFileSync("ip", args, { stdio: "pipe" });
}

function tc(...args: string[]): void {
  execFileSync("tc", args, { stdio: "pipe" });
}

/** True when namespaces can be made here (root, iproute2 present). */
export function netnsAvailable(): boolean {
  try {
    execFileSync("ip", ["netns", "list"], { stdio: "pipe" });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
}

export function createNetnsPair(): NetnsPair {
  const n = (counter++ % 250) + 1;
  const a = `nlf-${SHORT_ID}-${n}a`;
  const b = `nlf-${SHORT_ID}-${n}b`;
  const va = `nv${SHORT_ID}${n}a`.slice(0, 15);
  const vb = `nv${SHORT_ID}${n}b`.slice(0, 15);
  const addrA = `10.213.${n}.1`;
  const addrB = `10.213.${n}.2`;
  const dispose = () => {
    for (const ns of [a, b]) {
      try {
        ip("netns", "del", ns);
      } catch {
        // Already gone.
      }
    }
  };
  try {
    ip("netns", "add", a);
    ip("netns", "add", b);
    ip("link", "add", va, "type", "veth", "peer", "name", vb);
    ip("link", "set", va, "netns", a);
    ip("link", "set", vb, "netns", b);
    ip("-n", a, "addr", "add", `${addrA}/30`, "dev", va);
    ip("-n", b, "addr", "add", `${addrB}/30`, "dev", vb);
    for (const [ns, dev] of [
      [a, va],
      [b, vb],
    ] as const) {
      ip("-n", ns, "link", "set", dev, "up");
      ip("-n", ns, "link", "set", "lo", "up");
    }
  } catch (err) {
    dispose();
    throw err;
  }
  return {
    a,
    b,
    addrA,
    addrB,
    blackhole() {
      tc("-n", a, "qdisc", "replace", "dev", va, "root", "netem", "loss", "100%");
      tc("-n", b, "qdisc", "replace", "dev", vb, "root", "netem", "loss", "100%");
    },
    heal() {
      tc("-n", a, "qdisc", "del", "dev", va, "root");
      tc("-n", b, "qdisc", "del", "dev", vb, "root");
    },
    wrap: (ns, command, args) => ({ command: "ip", args: ["netns", "exec", ns, command, ...args] }),
    dispose,
  };
}
