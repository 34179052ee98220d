import { describe, expect, it } from "vitest";
import { RpcError } from "../app/rpc";
import { generateIdentity, type Identity } from "../crypto/identity";
import { MemorySeenIds } from "../crypto/seen-ids";
import { b64uEncode } from "../encoding/b64u";
import { Endpoint } from "./endpoint";
import { FakeRelay } from "../../test/fake-relay";
import { GatewayClient } from "./gateway-client";
import { RpcClient } from "./rpc-client";
import { type RpcCaller, type RpcHandlers, RpcServer } from "./rpc-server";

async function endpointOf(relay: FakeRelay, identity: Identity) {
  const gateway = new GatewayClient({ url: "ws://fake", identity, socketFactory: relay.factory, random: () => 0 });
  const endpoint = new Endpoint({ gateway, identity, seen: new MemorySeenIds() });
  gateway.start();
  await gateway.whenOnline();
  return { gateway, endpoint };
}

const task = { id: "t1", command: "ls", risk: "low" as const, state: "done" as const };

describe("RpcClient and RpcServer", () => {
  it("calls through sealed frames, checks capabilities and params, hides internal errors", async () => {
    const relay = new FakeRelay().routing();
    const hubId = generateIdentity();
    const phoneId = generateIdentity();
    const hub = await endpointOf(relay, hubId);
    const phone = await endpointOf(relay, phoneId);
    const hubDevice = b64uEncode(hubId.signPublicKey);
    const phoneDevice = b64uEncode(phoneId.signPublicKey);
    hub.endpoint.peers.set(phoneDevice, phoneId.boxPublicKey);
    phone.endpoint.peers.set(hubDevice, hubId.boxPublicKey);

    const handlers = {
      "hub.info": async (_p, caller) => ({ device: hubDevice, name: "Hub", version: "1", caps: [...caller.caps] }),
      "tasks.get": async (p) => {
        if (p.task === "boom") throw new Error("SQLITE_CORRUPT at /home/secret/hub.db");
        if (p.task === "missing") throw new RpcError("not_found", "no such task");
        if (p.task === "bad") return { task: { id: 1 } } as never;
        return { task };
      },
    } as Partial<RpcHandlers> as RpcHandlers;
    const server = new RpcServer(handlers);
    const caller: RpcCaller = { device: phoneDevice, caps: ["tasks"] };
    hub.endpoint.on("message", (m) => {
      if (m.t !== "rpc") return;
      void server.handle(m.d, caller).then((a) => a && hub.endpoint.send(m.from, a.t, a.d, 1));
    });

    const rpc = new RpcClient(phone.endpoint, hubDevice, { callTimeoutMs: 2000 });
    expect(await rpc.call("hub.info", {})).toEqual({ device: hubDevice, name: "Hub", version: "1", caps: ["tasks"] });
    expect(await rpc.call("tasks.get", { task: "t1" })).toEqual({ task });
    await expect(rpc.call("tasks.get", { task: "missing" })).rejects.toMatchObject({
      code: "not_found",
      message: "no such task",
    });
    const internal = await rpc.call("tasks.get", { task: "boom" }).catch((e: unknown) => e as RpcError);
    expect(internal).toMatchObject({ code: "internal" });
    expect((internal as RpcError).message).not.toContain("secret");
    await expect(rpc.call("tasks.get", { task: "bad" })).rejects.toMatchObject({ code: "internal" });
    await expect(rpc.call("messages.send", { text: "hi" })).rejects.toMatchObject({ code: "forbidden" });
    // Checked before it leaves the phone, and again at the hub.
    await expect(rpc.call("tasks.get", { task: "" })).rejects.toMatchObject({ code: "bad_params" });
    expect(await server.handle({ call: "c1", method: "tasks.get", params: { task: 5 } }, caller)).toMatchObject({
      t: "rpc.error",
      d: { code: "bad_params" },
    });
    expect(await server.handle({ call: "c2", method: "nope" }, caller)).toMatchObject({
      d: { code: "unknown_method" },
    });
    expect(await server.handle({ method: "hub.info" }, caller)).toBeNull();
    rpc.dispose();
    hub.gateway.stop();
    phone.gateway.stop();
  });

  it("times out a call nobody answers", async () => {
    const relay = new FakeRelay().routing();
    const hubId = generateIdentity();
    const phone = await endpointOf(relay, generateIdentity());
    const hubDevice = b64uEncode(hubId.signPublicKey);
    phone.endpoint.peers.set(hubDevice, hubId.boxPublicKey);
    const rpc = new RpcClient(phone.endpoint, hubDevice);
    await expect(rpc.call("hub.info", {}, { timeoutMs: 50 })).rejects.toMatchObject({ code: "timeout" });
    phone.gateway.stop();
  });
});
