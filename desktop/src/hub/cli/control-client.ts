import { connect } from "node:net";
import { join } from "node:path";
import type { Capability } from "@neural-link/shared/app";
import { CONTROL_SOCKET, type ControlReply, type ControlRequest } from "./control-protocol";
import { DeviceOpError, type DeviceOps, type DeviceRow } from "./device-ops";

/** How long the CLI waits for the running hub to answer one request. */
export const CONTROL_TIMEOUT_MS = 15_000;

/** Sends one request to the running hub's control socket and returns its result. */
export function controlCall(dataDir: string, req: ControlRequest, timeoutMs = CONTROL_TIMEOUT_MS): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = connect(join(dataDir, CONTROL_SOCKET));
    let buf = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new DeviceOpError("the running hub did not answer in time"));
    }, timeoutMs);
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write(`${JSON.stringify(req)}\n`));
    socket.on("data", (chunk: string) => (buf += chunk));
    socket.on("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new DeviceOpError(
          `cannot reach the running hub's control socket (${err.code ?? err.message}); is it still starting?`,
        ),
      );
    });
    socket.on("end", () => {
      clearTimeout(timer);
      let r: ControlReply;
      try {
        r = JSON.parse(buf) as ControlReply;
      } catch {
        return reject(new DeviceOpError("the running hub gave an unreadable answer"));
      }
      if (r.ok) resolve(r.result);
      else reject(new DeviceOpError(r.message));
    });
  });
}

/** Device operations through the running hub. */
export function socketDeviceOps(dataDir: string): DeviceOps {
  return {
    list: async () => (await controlCall(dataDir, { op: "list" })) as DeviceRow[],
    setCaps: async (device: string, caps: Capability[]) =>
      (await controlCall(dataDir, { op: "setCaps", device, caps })) as DeviceRow,
    rename: async (device: string, name: string) =>
      (await controlCall(dataDir, { op: "rename", device, name })) as DeviceRow,
    revoke: async (device: string) =>
      (await controlCall(dataDir, { op: "revoke", device })) as { relayToldNow: boolean },
    close: async () => {},
  };
}
