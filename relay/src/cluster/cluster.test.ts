/**
 * A cluster of three relay nodes in this process over the real NATS server
 * and the real Postgres: what a single relay does, across nodes
 * (docs/relay.md, "Running a cluster"). The process-level scenarios (node
 * SIGKILL, drain, HAProxy) are in faults/cluster/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { body, frameId, GatewayClient, type Message } from "../../test/gateway-client";
import { metricValue, startTestCluster, type TestCluster } from "../../test/test-cluster";

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster(3);
});
afterAll(() => cluster.stop());

async function online(node: number, identity?: GatewayClient["identity"]): Promise<GatewayClient> {
  const c = await GatewayClient.connect(cluster.nodes[node]!.url, identity);
  await c.auth();
  return c;
}

/** Two devices on two nodes that have granted each other, each told the other is online. */
async function mutualPair(nodeA: number, nodeB: number): Promise<[GatewayClient, GatewayClient]> {
  const a = await online(nodeA);
  const b = await online(nodeB);
  expect(await a.request(8, { peer: b.device })).toMatchObject({ ok: true });
  expect(await b.request(8, { peer: a.device })).toMatchObject({ ok: true });
  expect((await a.event("PRESENCE")).d).toEqual({ device: b.device, online: true });
  expect((await b.event("PRESENCE")).d).toEqual({ device: a.device, online: true });
  return [a, b];
}

describe("relay cluster", () => {
  it("forwards qos 0 and qos 1 frames to a device on another node, in accept order", async () => {
    const [a, b] = await mutualPair(0, 1);
    const ids: string[] = [];
    const replies: Promise<Record<string, unknown>>[] = [];
    for (let i = 0; i < 40; i++) {
      const id = frameId();
      ids.push(id);
      replies.push(a.request(5, { id, to: b.device, body: body(1024), qos: i % 3 === 0 ? 1 : 0 }));
    }
    const statuses = (await Promise.all(replies)).map((r) => r.status);
    expect(statuses).toEqual(ids.map((_, i) => (i % 3 === 0 ? "stored" : "sent")));
    const got: string[] = [];
    for (let i = 0; i < ids.length; i++) got.push(((await b.event("FRAME")).d as { id: string }).id);
    expect(got).toEqual(ids);
    expect(
      metricValue(cluster.nodes[0]!, 'nlink_relay_cluster_forwards_total{direction="out"}'),
    ).toBeGreaterThanOrEqual(40);
    a.close();
    b.close();
  });

  it("keeps one sender's order across qos and nodes, and ACKs on the recipient's node delete what the sender's node stored", async () => {
    const [a, b] = await mutualPair(2, 0);
    const sent: string[] = [];
    const out: Message[] = [];
    const collector = (async () => {
      while (out.length < 30) out.push(await b.event("FRAME"));
    })();
    for (let i = 0; i < 30; i++) {
      const id = frameId();
      sent.push(id);
      a.send({ op: 5, d: { id, to: b.device, body: body(64), qos: i % 2 } });
    }
    await collector;
    expect(out.map((m) => (m.d as { id: string }).id)).toEqual(sent);
    const qos1 = out.filter((m) => (m.d as { qos: number }).qos === 1).map((m) => (m.d as { id: string }).id);
    b.send({ op: 6, d: { ids: qos1 } });
    // A round trip through b's node's ordered write line: the ACK is committed before it.
    expect(await b.request(8, { peer: a.device })).toMatchObject({ ok: true });
    b.close();
    await a.event("PRESENCE");
    // Reconnected on a third node: only a frame sent afterwards comes, nothing ACKed is redelivered.
    const marker = frameId();
    expect(await a.request(5, { id: marker, to: b.device, body: body(8), qos: 1 })).toMatchObject({ status: "stored" });
    const b2 = await online(1, b.identity);
    expect((await b2.event("FRAME")).d).toMatchObject({ id: marker, from: a.device });
    a.close();
    b2.close();
  });

  it("delivers frames stored while the recipient was offline when it connects on any node", async () => {
    const [a, b] = await mutualPair(0, 1);
    b.close();
    await a.event("PRESENCE");
    const ids = [frameId(), frameId(), frameId()];
    for (const id of ids)
      expect(await a.request(5, { id, to: b.device, body: body(32), qos: 1 })).toMatchObject({ status: "stored" });
    expect(await a.request(5, { id: frameId(), to: b.device, body: body(32), qos: 0 })).toMatchObject({
      status: "dropped",
    });
    const b2 = await online(2, b.identity);
    const got = [await b2.event("FRAME"), await b2.event("FRAME"), await b2.event("FRAME")];
    expect(got.map((m) => (m.d as { id: string }).id)).toEqual(ids);
    a.close();
    b2.close();
  });

  it("tells presence across nodes: peers_online, connect and disconnect, only to mutual peers", async () => {
    const [a, b] = await mutualPair(0, 2);
    const stranger = await online(1);
    expect(await stranger.request(8, { peer: a.device })).toMatchObject({ ok: true });
    b.close();
    expect((await a.event("PRESENCE")).d).toEqual({ device: b.device, online: false });
    const b2 = await online(1, b.identity);
    expect((await a.event("PRESENCE")).d).toEqual({ device: b.device, online: true });
    a.close();
    expect((await b2.event("PRESENCE")).d).toEqual({ device: a.device, online: false });
    const a2 = await online(2, a.identity);
    expect((await b2.event("PRESENCE")).d).toEqual({ device: a.device, online: true });
    expect(stranger.received.filter((m) => m.t === "PRESENCE")).toEqual([]);
    a2.close();
    b2.close();
    stranger.close();
  });

  it("lists mutual peers connected on other nodes in READY", async () => {
    const [a, b] = await mutualPair(1, 2);
    a.close();
    await b.event("PRESENCE");
    const a2 = await GatewayClient.connect(cluster.nodes[0]!.url, a.identity);
    const ready = await a2.auth();
    expect((ready.d as { peers_online: string[] }).peers_online).toEqual([b.device]);
    a2.close();
    b.close();
  });

  it("applies GRANT and REVOKE on every node before the REPLY", async () => {
    const a = await online(0);
    const b = await online(1);
    expect(await a.request(5, { id: frameId(), to: b.device, body: body(8), qos: 1 })).toMatchObject({
      ok: false,
      code: "not_granted",
    });
    expect(await b.request(8, { peer: a.device })).toMatchObject({ ok: true });
    expect(await a.request(5, { id: frameId(), to: b.device, body: body(8), qos: 1 })).toMatchObject({
      ok: true,
      status: "stored",
    });
    expect(await b.request(10, { peer: a.device })).toMatchObject({ ok: true });
    expect(await a.request(5, { id: frameId(), to: b.device, body: body(8), qos: 0 })).toMatchObject({
      ok: false,
      code: "not_granted",
    });
    a.close();
    b.close();
  });

  it("pairs across nodes: PAIR_OPEN on one, PAIR_REQUEST on another, rendezvous_taken on a third", async () => {
    const desktop = await online(0);
    const phone = await online(1);
    const other = await online(2);
    const rendezvous = Buffer.alloc(16, 9).toString("base64url");
    expect(await desktop.request(11, { rendezvous, ttl_s: 60 })).toMatchObject({ ok: true });
    expect(await other.request(11, { rendezvous, ttl_s: 60 })).toMatchObject({ ok: false, code: "rendezvous_taken" });
    expect(await phone.request(12, { rendezvous, body: body(100) })).toMatchObject({ ok: true });
    expect((await desktop.event("PAIR_REQUEST")).d).toEqual({ rendezvous, from: phone.device, body: body(100) });
    expect(await desktop.request(13, { rendezvous })).toMatchObject({ ok: true });
    expect(await phone.request(12, { rendezvous, body: body(100) })).toMatchObject({
      ok: false,
      code: "rendezvous_closed",
    });
    desktop.close();
    phone.close();
    other.close();
  });

  it("resumes a session on another node: missed events with their original s, the old connection closed 4006", async () => {
    const [a, b] = await mutualPair(0, 1);
    // A new session of b on node 1 (b's first connection there is replaced, 4006).
    const b1 = await GatewayClient.connect(cluster.nodes[1]!.url, b.identity);
    const session = ((await b1.auth()).d as { session: string }).session;
    expect((await b.closed).code).toBe(4006);
    const seen = b1.lastS!;
    // Two frames reach b1 on node 1; a client that saw only up to `seen` resumes on node 2 while b1 is still open.
    const ids = [frameId(), frameId()];
    for (const id of ids)
      expect(await a.request(5, { id, to: b.device, body: body(16), qos: 1 })).toMatchObject({ status: "stored" });
    await b1.event("FRAME");
    await b1.event("FRAME");
    const b2 = await GatewayClient.connect(cluster.nodes[2]!.url, b.identity);
    const resumed = await b2.auth({ resume: { session, seq: seen } });
    expect(resumed.t).toBe("RESUMED");
    const replay = [await b2.event("FRAME"), await b2.event("FRAME")];
    expect(replay.map((m) => (m.d as { id: string }).id)).toEqual(ids);
    expect(replay.map((m) => m.s)).toEqual([seen + 1, seen + 2]);
    expect((await b1.closed).code).toBe(4006);
    // The session lives on node 2 now: frames follow it there, and an unknown session is still refused.
    const id = frameId();
    expect(await a.request(5, { id, to: b.device, body: body(16), qos: 0 })).toMatchObject({ status: "sent" });
    expect((await b2.event("FRAME")).d).toMatchObject({ id });
    const stranger = await GatewayClient.connect(cluster.nodes[0]!.url);
    expect((await stranger.auth({ resume: { session: "x".repeat(22), seq: 1 } })).op).toBe(9);
    expect(metricValue(cluster.nodes[2]!, "nlink_relay_cluster_sessions_moved_total")).toBeGreaterThanOrEqual(1);
    a.close();
    b2.close();
    stranger.close();
  });

  it("one device, one session: a newer connection on another node closes the older with 4006", async () => {
    const [a, b] = await mutualPair(0, 1);
    const b2 = await online(2, b.identity);
    expect((await b.closed).code).toBe(4006);
    // Online throughout: the peer hears nothing, and frames now reach the newer connection.
    const id = frameId();
    expect(await a.request(5, { id, to: b.device, body: body(16), qos: 1 })).toMatchObject({ status: "stored" });
    expect((await b2.event("FRAME")).d).toMatchObject({ id });
    expect(a.received.filter((m) => m.t === "PRESENCE")).toEqual([]);
    expect(metricValue(cluster.nodes[1]!, "nlink_relay_cluster_evictions_total")).toBeGreaterThanOrEqual(1);
    a.close();
    b2.close();
  });
});
