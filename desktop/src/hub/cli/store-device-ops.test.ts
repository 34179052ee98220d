import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { b64uEncode } from "@neural-link/shared/encoding";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedRelay, type EmbeddedRelay } from "../embedded-relay";
import { TestPhone } from "../../../test/test-phone";
import { HubNode } from "../hub-node";
import type { PairingRequest } from "../api";
import { storeDeviceOps } from "./store-device-ops";

/**
 * `devices ...` with no hub running edits the store; a revoke made that way
 * must still reach the relay: the hub's next session REVOKEs it, so the
 * relay refuses the phone's frames.
 */
const log = pino({ level: "silent" });
const dir = mkdtempSync(join(tmpdir(), "nlink-store-ops-"));
let relay: EmbeddedRelay | null = null;
let hub: HubNode | null = null;
let phone: TestPhone | null = null;
afterAll(async () => {
  phone?.stop();
  await hub?.stop();
  await relay?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("devices subcommands on the store (no hub running)", () => {
  it("grants, renames and revokes with an audit line each; the relay refuses the revoked phone after the hub's next start", async () => {
    relay = await startEmbeddedRelay({ dataDir: dir, host: "127.0.0.1", port: 0, db: "memory", log });
    const dataDir = join(dir, "hub");
    hub = await HubNode.start({ dataDir, name: "Ops Hub", relay: relay.localUrl, log });
    const requests: PairingRequest[] = [];
    hub.on("pairing.request", (r) => requests.push(r));
    await hub.whenOnline();
    phone = new TestPhone(relay.localUrl, "Ops Phone");
    await phone.connect();
    const { invite } = await phone.requestPairing((await hub.startPairing()).uri);
    await expect.poll(() => requests.length, { timeout: 30_000 }).toBe(1);
    await hub.answerPairing({ requestId: requests[0]!.requestId, accept: true });
    await phone.completePairing(invite);
    await hub.stop();
    hub = null;

    const ops = await storeDeviceOps(dataDir, log);
    try {
      expect(await ops.setCaps(phone.device, ["chat", "terminal"])).toMatchObject({
        caps: ["chat", "terminal"],
        online: null,
      });
      expect(await ops.rename(phone.device, "Renamed")).toMatchObject({ name: "Renamed" });
      expect(await ops.revoke(phone.device)).toEqual({ relayToldNow: false });
      expect(await ops.list()).toEqual([]);
      await expect(ops.rename(phone.device, "again")).rejects.toThrow("no such paired device");
    } finally {
      await ops.close();
    }

    // Until the hub runs again the relay still holds the grant; its next fresh session withdraws it.
    hub = await HubNode.start({ dataDir, log });
    await hub.whenOnline();
    await expect
      .poll(
        () =>
          phone!.gateway.send({ id: b64uEncode(randomBytes(16)), to: hub!.device, body: "AAAA", qos: 1 }).then(
            () => "stored",
            (e: { code?: string }) => e.code,
          ),
        { timeout: 30_000 },
      )
      .toBe("not_granted");
    const actions = (await hub.listAudit({ limit: 50 })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["device.caps", "device.renamed", "device.revoked"]));
  }, 300_000);
});
