/**
 * HAProxy (Debian's /usr/sbin/haproxy) as a child process in front of relay
 * nodes on loopback: the same settings as deploy/haproxy.cfg, with the
 * loopback ports of this run and faster health checks.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ChildHandle, LOG_DIR, spawnChild } from "./child-process";
import { freePort, waitForPort } from "./ports";

export const HAPROXY_BIN = process.env.NLINK_HAPROXY_BIN ?? "/usr/sbin/haproxy";

export interface Haproxy {
  readonly port: number;
  /** ws://127.0.0.1:PORT/v1/gateway */
  readonly url: string;
  readonly child: ChildHandle;
  stop(): Promise<void>;
}

export function haproxyConfig(port: number, backends: number[], balance: "roundrobin" | "leastconn"): string {
  return [
    "global",
    "  maxconn 4000",
    "defaults",
    "  mode http",
    "  option http-server-close",
    "  timeout connect 2s",
    "  timeout client 60s",
    "  timeout server 60s",
    "  timeout tunnel 1h",
    "  retries 2",
    "  option redispatch 1",
    "frontend gateway",
    `  bind 127.0.0.1:${port}`,
    "  default_backend relays",
    "backend relays",
    `  balance ${balance}`,
    "  option httpchk",
    "  http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host relay",
    "  http-check expect status 200",
    "  default-server inter 250ms fall 2 rise 2",
    ...backends.map((p, i) => `  server relay${i + 1} 127.0.0.1:${p} check`),
    "",
  ].join("\n");
}

/** Starts HAProxy in the foreground (-db) and waits until it listens. */
export async function startHaproxy(
  name: string,
  backends: number[],
  balance: "roundrobin" | "leastconn" = "roundrobin",
): Promise<Haproxy> {
  const port = await freePort();
  mkdirSync(LOG_DIR, { recursive: true });
  const config = join(LOG_DIR, `${name}-haproxy.cfg`);
  writeFileSync(config, haproxyConfig(port, backends, balance));
  const child = spawnChild(`${name}-haproxy`, HAPROXY_BIN, ["-db", "-f", config]);
  await waitForPort(port, "127.0.0.1", 15_000);
  return {
    port,
    url: `ws://127.0.0.1:${port}/v1/gateway`,
    child,
    stop: async () => void (await child.stop(2000)),
  };
}
