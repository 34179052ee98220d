import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestPhone } from "../../test/test-phone";
import { HubNode } from "./hub-node";

/** Established TCP connections (IPv4) with `port` at one end, from the kernel's own table. */
function establishedOn(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  return readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length > 3 && f[3] === "01" && (f[1]!.endsWith(`:${hex}`) || f[2]!.endsWith(`:${hex}`))).length;
}

/**
 * The hub and its embedded relay share a process, and the hub's connection to it goes through memory
 * (relay's gateway/in-process-socket.ts), not a loopback socket: a phone's connection is the only one the
 * relay's port carries.
 */
describe("the hub's link to its embedded relay", () => {
  let dir: string;
  let hub: HubNode;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nlink-connector-"));
    hub = await HubNode.start({
      dataDir: join(dir, "hub"),
      relay: "embedded",
      embedded: { host: "127.0.0.1", port: 0 },
      name: "Connector Hub",
      log: pino({ level: "silent" }),
    });
    await hub.whenOnline();
  });

  afterAll(async () => {
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is online with no socket on the relay's port; a phone's connection is the only one there", async () => {
    const port = Number(new URL(hub.publicRelayUrl()).port);
    expect(establishedOn(port)).toBe(0);
    const phone = new TestPhone(hub.publicRelayUrl());
    await phone.connect();
    // Both ends of the phone's one connection are in this process's table: two rows, one connection.
    expect(establishedOn(port)).toBe(2);
    hub.on("pairing.request", (r) => void hub.answerPairing({ requestId: r.requestId, accept: true }));
    const { invite } = await phone.requestPairing((await hub.startPairing()).uri);
    await phone.completePairing(invite);
    // The hub answers the phone through its in-process connection.
    expect(await phone.rpc!.call("hub.info", {})).toMatchObject({ name: "Connector Hub" });
    phone.stop();
  });
});
