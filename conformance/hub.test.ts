/**
 * The hub against the independent client: docs/protocol.md section 10 (pairing by
 * URI, with the SAS computed here and compared with the hub's), docs/protocol.md section 8
 * (the hub drops replayed and misaddressed envelopes) and docs/protocol.md section 11 (the
 * methods every hub must answer, and the task.updated push). The phone here
 * is built only from conformance/client.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HubNode } from "../desktop/src/hub/hub-node";
import { b64u, unb64u } from "./client/b64u";
import { AppPeer, type Received } from "./client/app-peer";
import { type Inner, pairKey, sealEnvelope } from "./client/envelope";
import { makeCard, newDevice, randomId, verifyCard } from "./client/identity";
import { computeSas, type PairInvite, parsePairUri, rendezvousOf, sealPairRequest } from "./client/pairing";
import { Session } from "./client/session";
import { localTarget, type Target } from "./target";

/** Time for a whole RPC round trip through relay and hub on a busy machine. */
const RPC_WAIT_MS = 15_000;

interface Task {
  id: string;
  command: string;
  risk: string;
  state: string;
  exit_code?: number;
  output?: string;
}
interface Message {
  id: string;
  conversation: string;
  sender: string;
  ts: number;
  text: string;
}

let target: Target;
let hub: HubNode;
let dir: string;
let phone: Session;
let peer: AppPeer;
let invite: PairInvite;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nlink-conformance-"));
  target = await localTarget();
  hub = await HubNode.start({
    dataDir: join(dir, "hub"),
    relay: target.url,
    name: "Conformance Hub",
    log: pino({ level: "silent" }),
    executor: { defaultCwd: dir },
  });
  await hub.whenOnline();
});

afterAll(async () => {
  await phone?.close();
  await hub?.stop();
  await target?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const call = <T>(method: string, params: unknown) =>
  peer.call(invite.desktop, method, params, RPC_WAIT_MS) as Promise<T>;

describe("docs/protocol.md section 10: pairing with the hub", () => {
  it("raises no question for a card that is not the sender's, and answers a refusal with pair.reject", async () => {
    const requests: { requestId: string; device: string }[] = [];
    const off = hub.on("pairing.request", (r) => requests.push(r));
    const first = parsePairUri((await hub.startPairing()).uri);
    const rdv = rendezvousOf(first.token);
    // A forger presents someone else's (validly signed) card under its own device id.
    const [forger, refused] = await Promise.all([Session.connect(first.relayUrl), Session.connect(first.relayUrl)]);
    const someoneElse = newDevice();
    await forger.grant(first.desktop);
    expect(
      await forger.pairRequest(
        rdv,
        sealPairRequest(first.token, makeCard(someoneElse, "phone", "Someone Else"), someoneElse.box, first.desktopBox),
      ),
    ).toMatchObject({ ok: true });
    // Then an honest phone; the person at the desktop says no.
    await refused.grant(first.desktop);
    expect(
      await refused.pairRequest(
        rdv,
        sealPairRequest(
          first.token,
          makeCard(refused.device, "phone", "Refused Phone"),
          refused.device.box,
          first.desktopBox,
        ),
      ),
    ).toMatchObject({ ok: true });
    await expect.poll(() => requests.some((r) => r.device === refused.id), { timeout: RPC_WAIT_MS }).toBe(true);
    expect(requests.map((r) => r.device)).toEqual([refused.id]);
    await hub.answerPairing({ requestId: requests[0]!.requestId, accept: false });
    const refusedPeer = new AppPeer(refused);
    refusedPeer.peers.set(first.desktop, first.desktopBox);
    const reject = await refusedPeer.next((r) => r.inner.t === "pair.reject", "pair.reject", RPC_WAIT_MS);
    expect(reject.qos).toBe(1);
    expect(await hub.listDevices()).toEqual([]);
    off();
    // Withdrawing the grants deletes whatever else the hub stored for these two (docs/protocol.md section 7), so the
    // relay's store is the hub's alone for the ACK check below.
    await Promise.all([forger.revoke(first.desktop), refused.revoke(first.desktop)]);
    await Promise.all([forger.close(), refused.close()]);
  });

  it("pairs through the URI, shows the same SAS, and sends a pair.accept whose card matches the URI", async () => {
    const requests: { sas: string; requestId: string; device: string }[] = [];
    hub.on("pairing.request", (r) => requests.push(r));
    const { uri } = await hub.startPairing();
    invite = parsePairUri(uri);
    expect(invite.desktop).toBe(hub.device);
    expect(invite.relayUrl).toBe(target.url);
    expect(invite.expiresS).toBeGreaterThan(Date.now() / 1000);

    phone = await Session.connect(invite.relayUrl);
    expect(await phone.grant(invite.desktop)).toMatchObject({ ok: true });
    const body = sealPairRequest(
      invite.token,
      makeCard(phone.device, "phone", "Independent Phone"),
      phone.device.box,
      invite.desktopBox,
    );
    expect(await phone.pairRequest(rendezvousOf(invite.token), body)).toMatchObject({ ok: true });

    const sas = computeSas(unb64u(invite.desktop), phone.device.sign.publicKey, invite.token);
    await expect.poll(() => requests.length, { timeout: RPC_WAIT_MS }).toBe(1);
    expect(requests[0]).toMatchObject({ device: phone.id, sas });
    await hub.answerPairing({ requestId: requests[0]!.requestId, accept: true });

    peer = new AppPeer(phone);
    peer.peers.set(invite.desktop, invite.desktopBox);
    const accept = await peer.next((r) => r.inner.t === "pair.accept", "pair.accept", RPC_WAIT_MS);
    expect(accept.qos).toBe(1);
    const d = accept.inner.d as { card: unknown; caps: unknown };
    const card = verifyCard(d.card, invite.desktop);
    expect(card).toMatchObject({ kind: "desktop", box: b64u(invite.desktopBox) });
    expect(Array.isArray(d.caps)).toBe(true);
  });

  it("spends the token: the rendezvous is closed after the pairing", async () => {
    expect(await phone.pairRequest(rendezvousOf(invite.token), "AAAA")).toMatchObject({
      ok: false,
      code: "rendezvous_closed",
    });
  });
});

describe("docs/protocol.md section 11: methods every hub answers", () => {
  it("hub.info", async () => {
    const info = await call<{ device: string; name: string; version: string; caps: string[] }>("hub.info", {});
    expect(info).toMatchObject({ device: invite.desktop, name: "Conformance Hub" });
    expect(typeof info.version).toBe("string");
    expect(Array.isArray(info.caps)).toBe(true);
  });

  it("messages.send and messages.list (newest first)", async () => {
    const first = (await call<{ message: Message }>("messages.send", { text: "first from an independent phone" }))
      .message;
    expect(first).toMatchObject({ sender: phone.id, text: "first from an independent phone" });
    expect(typeof first.id === "string" && typeof first.conversation === "string" && Number.isInteger(first.ts)).toBe(
      true,
    );
    const second = (
      await call<{ message: Message }>("messages.send", { text: "second", conversation: first.conversation })
    ).message;
    const { messages } = await call<{ messages: Message[] }>("messages.list", { conversation: first.conversation });
    expect(messages.map((m) => m.id).slice(0, 2)).toEqual([second.id, first.id]);
  });

  it("tasks.run of a low-risk command runs it and pushes task.updated until done", async () => {
    const { task } = await call<{ task: Task }>("tasks.run", { command: "echo hi" });
    expect(task).toMatchObject({ command: "echo hi", risk: "low" });
    const isDone = (r: Received) =>
      r.inner.t === "task.updated" &&
      (r.inner.d as { task: Task }).task.id === task.id &&
      (r.inner.d as { task: Task }).task.state === "done";
    const done = (await peer.next(isDone, "task.updated done", RPC_WAIT_MS)).inner.d as { task: Task };
    expect(done.task).toMatchObject({ exit_code: 0, output: expect.stringContaining("hi") });
    expect((await call<{ task: Task }>("tasks.get", { task: task.id })).task.state).toBe("done");
  });

  it("never starts a forbidden command, nor a high-risk one before approval", async () => {
    const victim = join(dir, "victim");
    writeFileSync(victim, "x");
    const forbidden = (await call<{ task: Task }>("tasks.run", { command: "rm -rf /" })).task;
    expect(forbidden).toMatchObject({ risk: "forbidden", state: "rejected" });
    const high = (await call<{ task: Task }>("tasks.run", { command: `rm -f ${victim}` })).task;
    expect(high).toMatchObject({ risk: "high", state: "awaiting_approval" });
    expect((await call<{ task: Task }>("tasks.get", { task: high.id })).task.state).toBe("awaiting_approval");
    expect(existsSync(victim)).toBe(true);
    const refused = (await call<{ task: Task }>("tasks.approve", { task: high.id, approve: false })).task;
    expect(refused.state).toBe("rejected");
    expect(existsSync(victim)).toBe(true);
  });

  it("answers an unknown method with rpc.error unknown_method", async () => {
    await expect(call("no.such.method", {})).rejects.toMatchObject({ code: "unknown_method" });
  });
});

describe("docs/protocol.md section 8: the hub's drop rules", () => {
  /** Seals `inner` for the hub and SENDs it as qos 1 under `sendId`. */
  const sendSealed = (inner: Inner, sendId = inner.id) =>
    phone.sendFrame({
      id: sendId,
      to: invite.desktop,
      qos: 1,
      body: b64u(sealEnvelope(pairKey(invite.desktopBox, phone.device.box.secretKey), inner)),
    });
  const rpc = (text: string, over: Partial<Inner> = {}): Inner => ({
    v: 1,
    id: randomId(),
    from: phone.id,
    to: invite.desktop,
    ts: Date.now(),
    t: "rpc",
    d: { call: randomId(), method: "messages.send", params: { text } },
    ...over,
  });

  it("acts once on a replayed envelope, and never on a misaddressed, mislabelled or stale one", async () => {
    const replayed = rpc("replayed once");
    expect(await sendSealed(replayed)).toMatchObject({ ok: true });
    await peer.next(
      (r) =>
        r.inner.t === "rpc.result" && (r.inner.d as { call: string }).call === (replayed.d as { call: string }).call,
      "the first answer",
      RPC_WAIT_MS,
    );
    // The same bytes again, after the hub has ACKed them: the relay takes them as new, the hub must not.
    expect(await sendSealed(replayed)).toMatchObject({ ok: true });
    expect(await sendSealed(rpc("to someone else", { to: phone.id }))).toMatchObject({ ok: true });
    const wrongId = rpc("inner id differs");
    expect(await sendSealed(wrongId, randomId())).toMatchObject({ ok: true });
    expect(await sendSealed(rpc("stale", { ts: Date.now() - 9 * 24 * 3600 * 1000 }))).toMatchObject({ ok: true });
    expect(await sendSealed(rpc("from the future", { ts: Date.now() + 11 * 60 * 1000 }))).toMatchObject({ ok: true });
    // Frames from one sender arrive in order: once this call is answered, the hub has handled all the above.
    const { messages } = await call<{ messages: Message[] }>("messages.search", { query: "replayed" });
    expect(messages.map((m) => m.text)).toEqual(["replayed once"]);
    const all = (await call<{ messages: Message[] }>("messages.list", { limit: 200 })).messages.map((m) => m.text);
    for (const text of ["to someone else", "inner id differs", "stale", "from the future"])
      expect(all).not.toContain(text);
  });

  it("still ACKs the frames it dropped, so the relay stores nothing for it", async () => {
    // Our relay's own gauge (not part of the protocol): frames stored anywhere, waiting for an ACK.
    const stored = async () =>
      Number(/^nlink_relay_stored_frames (\d+)/m.exec(await (await fetch(`${target.httpBase}/metrics`)).text())?.[1]);
    // ACK everything the phone was ever sent (repeats are harmless), so what remains is the hub's.
    const ids = phone.conn.log.filter((m) => m.t === "FRAME").map((m) => (m.d as { id: string }).id);
    for (let i = 0; i < ids.length; i += 1000) phone.ack(ids.slice(i, i + 1000));
    await phone.sync();
    await expect.poll(stored, { timeout: RPC_WAIT_MS }).toBe(0);
  });
});
