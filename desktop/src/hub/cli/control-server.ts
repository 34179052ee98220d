import { chmodSync, unlinkSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import type { Logger } from "pino";
import type { HubNode } from "../hub-node";
import {
  CONTROL_MAX_LINE,
  CONTROL_SOCKET,
  type ControlReply,
  type ControlRequest,
  controlRequestSchema,
} from "./control-protocol";
import type { DeviceRow } from "./device-ops";

type DeviceApi = Pick<HubNode, "listDevices" | "setDeviceCaps" | "renameDevice" | "revokeDevice" | "getStatus">;

const toRow = (d: { id: string; name: string; kind: string; online: boolean; caps: DeviceRow["caps"] }): DeviceRow => ({
  id: d.id,
  name: d.name,
  kind: d.kind,
  online: d.online,
  caps: d.caps,
});

async function handle(api: DeviceApi, req: ControlRequest): Promise<unknown> {
  switch (req.op) {
    case "list":
      return (await api.listDevices()).map(toRow);
    case "setCaps":
      return toRow(await api.setDeviceCaps({ device: req.device, caps: req.caps }));
    case "rename":
      return toRow(await api.renameDevice({ device: req.device, name: req.name }));
    case "revoke": {
      // Told now when online; otherwise the link sends REVOKE on its next session.
      const relayToldNow = (await api.getStatus()).relay.connected;
      await api.revokeDevice({ device: req.device });
      return { relayToldNow };
    }
    default: {
      const never: never = req;
      throw new Error(`unknown control op ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The running hub's end of the `devices` subcommands: a Unix socket in the
 * data directory, mode 0600 (only this user), so a change made on the
 * command line goes through the hub itself: the UI and phones learn of it,
 * and a revoke reaches the relay at once. The caller holds the data lock, so
 * a socket file already there is a crashed hub's and is replaced.
 */
export async function startControlServer(
  dataDir: string,
  api: DeviceApi,
  log: Logger,
): Promise<{ close(): Promise<void> }> {
  const path = join(dataDir, CONTROL_SOCKET);
  const clog = log.child({ mod: "hub/cli-control" });
  try {
    unlinkSync(path);
  } catch {
    // None left behind.
  }
  const server: Server = createServer((socket) => serve(socket, api, clog));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // Created 0600 through the umask, then chmod for file systems that ignore it: no window where others may connect.
    const old = process.umask(0o177);
    try {
      server.listen(path, () => resolve());
    } finally {
      process.umask(old);
    }
  });
  chmodSync(path, 0o600);
  return {
    close: async () => {
      await new Promise<void>((r) => server.close(() => r()));
      try {
        unlinkSync(path);
      } catch {
        // Already gone.
      }
    },
  };
}

function serve(socket: Socket, api: DeviceApi, log: Logger): void {
  let buf = "";
  const reply = (r: ControlReply) => socket.end(`${JSON.stringify(r)}\n`);
  socket.setEncoding("utf8");
  socket.on("error", (err) => log.debug({ err: String(err) }, "control connection failed"));
  socket.on("data", (chunk: string) => {
    buf += chunk;
    if (buf.length > CONTROL_MAX_LINE) return reply({ ok: false, message: "request too large" });
    const nl = buf.indexOf("\n");
    if (nl < 0) return;
    socket.removeAllListeners("data");
    let req: ControlRequest;
    try {
      req = controlRequestSchema.parse(JSON.parse(buf.slice(0, nl)));
    } catch {
      return reply({ ok: false, message: "malformed control request" });
    }
    handle(api, req).then(
      (result) => reply({ ok: true, result }),
      (err: unknown) => reply({ ok: false, message: err instanceof Error ? err.message : String(err) }),
    );
  });
}
