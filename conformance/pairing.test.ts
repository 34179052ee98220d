/**
 * docs/protocol.md section 10 as the relay sees it: rendezvous rules, forwarding
 * of PAIR_REQUEST, and a whole pairing between two independent clients.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { b64u } from "./client/b64u";
import { AppPeer } from "./client/app-peer";
import { makeCard, newDevice, verifyCard } from "./client/identity";
import {
  computeSas,
  encodePairUri,
  newToken,
  openPairRequest,
  parsePairUri,
  rendezvousOf,
  sealPairRequest,
} from "./client/pairing";
import { grantBoth, Session } from "./client/session";
import { Close, Op, type PairRequestEvent, PROTOCOL_LIMITS, type Reply } from "./client/wire";
import { defaultTarget, type Target } from "./target";

let target: Target;
beforeAll(async () => {
  target = await defaultTarget();
});
afterAll(() => target?.close());

const newRendezvous = () => rendezvousOf(newToken());
const someBody = () => b64u(new Uint8Array(100));
const requestsAt = (s: Session) =>
  s.conn.log.filter((m) => m.op === Op.EVENT && m.t === "PAIR_REQUEST").map((m) => m.d as PairRequestEvent);

describe("docs/protocol.md section 10: rendezvous at the relay", () => {
  it("forwards a PAIR_REQUEST to the opener as {rendezvous, from, body}", async () => {
    const [desk, phone] = await Promise.all([Session.connect(target.url), Session.connect(target.url)]);
    const rdv = newRendezvous();
    expect(await desk.pairOpen(rdv, 60)).toMatchObject({ ok: true });
    const body = someBody();
    expect(await phone.pairRequest(rdv, body)).toMatchObject({ ok: true });
    const ev = await desk.conn.event("PAIR_REQUEST");
    expect(ev.d).toEqual({ rendezvous: rdv, from: phone.id, body });
    await Promise.all([desk.close(), phone.close()]);
  });

  it("allows ttl_s up to 600 and refuses more", async () => {
    const desk = await Session.connect(target.url);
    expect(await desk.pairOpen(newRendezvous(), PROTOCOL_LIMITS.pairMaxTtlS)).toMatchObject({ ok: true });
    const over = await desk.pairOpen(newRendezvous(), PROTOCOL_LIMITS.pairMaxTtlS + 1).catch(() => null);
    // The protocol names no code for this: an error reply, or 4002 as a payload that does not fit.
    if (over === null) expect((await desk.conn.waitClose()).code).toBe(Close.DECODE_ERROR);
    else expect(over.ok).toBe(false);
    await desk.close();
  });

  it("holds at most 4 open per device (too_many_rendezvous), and a closed one frees its place", async () => {
    const desk = await Session.connect(target.url);
    const open = Array.from({ length: PROTOCOL_LIMITS.pairMaxOpen }, newRendezvous);
    for (const rdv of open) expect(await desk.pairOpen(rdv, 60)).toMatchObject({ ok: true });
    expect(await desk.pairOpen(newRendezvous(), 60)).toMatchObject({ ok: false, code: "too_many_rendezvous" });
    expect(await desk.pairClose(open[0]!)).toMatchObject({ ok: true });
    expect(await desk.pairOpen(newRendezvous(), 60)).toMatchObject({ ok: true });
    await desk.close();
  });

  it("answers rendezvous_taken for a rendezvous open elsewhere", async () => {
    const [d1, d2] = await Promise.all([Session.connect(target.url), Session.connect(target.url)]);
    const rdv = newRendezvous();
    expect(await d1.pairOpen(rdv, 60)).toMatchObject({ ok: true });
    expect(await d2.pairOpen(rdv, 60)).toMatchObject({ ok: false, code: "rendezvous_taken" });
    // Without ref the failure comes as EVENT ERROR {op, code, message} (docs/protocol.md section 6).
    d2.conn.send(Op.PAIR_OPEN, { rendezvous: rdv, ttl_s: 60 });
    const error = await d2.conn.event("ERROR");
    expect(error.d).toMatchObject({ op: Op.PAIR_OPEN, code: "rendezvous_taken", message: expect.any(String) });
    await Promise.all([d1.close(), d2.close()]);
  });

  it("answers rendezvous_closed when none is open, after PAIR_CLOSE, or when the opener is offline, and never stores", async () => {
    const deskDevice = newDevice();
    const desk = await Session.connect(target.url, deskDevice);
    const phone = await Session.connect(target.url);
    expect(await phone.pairRequest(newRendezvous(), someBody())).toMatchObject({
      ok: false,
      code: "rendezvous_closed",
    });
    const closed = newRendezvous();
    await desk.pairOpen(closed, 60);
    await desk.pairClose(closed);
    expect(await phone.pairRequest(closed, someBody())).toMatchObject({ ok: false, code: "rendezvous_closed" });
    const left = newRendezvous();
    await desk.pairOpen(left, 60);
    // Mutual peers, so the phone hears from the relay itself when the desk is offline.
    await grantBoth(desk, phone);
    await desk.close();
    await phone.conn.event(
      "PRESENCE",
      (d) => (d as { device: string; online: boolean }).device === deskDevice.id && !(d as { online: boolean }).online,
      10_000,
    );
    expect(await phone.pairRequest(left, someBody())).toMatchObject({ ok: false, code: "rendezvous_closed" });
    const back = await Session.connect(target.url, deskDevice);
    await back.sync();
    expect(requestsAt(back)).toEqual([]);
    await Promise.all([back.close(), phone.close()]);
  });

  it("closes a rendezvous by itself after 10 requests", async () => {
    const [desk, phone] = await Promise.all([Session.connect(target.url), Session.connect(target.url)]);
    const rdv = newRendezvous();
    await desk.pairOpen(rdv, 60);
    const replies: Reply[] = [];
    for (let i = 0; i <= PROTOCOL_LIMITS.pairMaxRequests; i++) replies.push(await phone.pairRequest(rdv, someBody()));
    expect(replies.slice(0, PROTOCOL_LIMITS.pairMaxRequests).every((r) => r.ok)).toBe(true);
    expect(replies.at(-1)).toMatchObject({ ok: false, code: "rendezvous_closed" });
    await desk.sync();
    expect(requestsAt(desk)).toHaveLength(PROTOCOL_LIMITS.pairMaxRequests);
    await Promise.all([desk.close(), phone.close()]);
  });

  it("refuses a PAIR_REQUEST body over 512 KiB with too_large", async () => {
    const [desk, phone] = await Promise.all([Session.connect(target.url), Session.connect(target.url)]);
    const rdv = newRendezvous();
    await desk.pairOpen(rdv, 60);
    const r = await phone.pairRequest(rdv, b64u(new Uint8Array(PROTOCOL_LIMITS.maxBodyBytes + 1)));
    expect(r).toMatchObject({ ok: false, code: "too_large" });
    await Promise.all([desk.close(), phone.close()]);
  });
});

describe("docs/protocol.md section 10: a whole pairing between two independent clients", () => {
  it("pairs by URI, with the same SAS on both sides, and ends with pair.accept", async () => {
    const [desk, phone] = await Promise.all([Session.connect(target.url), Session.connect(target.url)]);
    // Desktop: token, rendezvous, PAIR_OPEN, URI.
    const token = newToken();
    await desk.pairOpen(rendezvousOf(token), 120);
    const uri = encodePairUri({
      relayUrl: target.url,
      desktop: desk.id,
      desktopBox: desk.device.box.publicKey,
      token,
      expiresS: Math.floor(Date.now() / 1000) + 120,
      name: "Desk & Co",
    });
    // Phone: parse, GRANT the desktop, PAIR_REQUEST.
    const invite = parsePairUri(uri);
    expect(await phone.grant(invite.desktop)).toMatchObject({ ok: true });
    const phoneCard = makeCard(phone.device, "phone", "Conformance Phone");
    expect(
      await phone.pairRequest(
        rendezvousOf(invite.token),
        sealPairRequest(invite.token, phoneCard, phone.device.box, invite.desktopBox),
      ),
    ).toMatchObject({ ok: true });
    // Desktop: open, check, SAS, GRANT, PAIR_CLOSE, pair.accept.
    const ev = (await desk.conn.event("PAIR_REQUEST")).d as PairRequestEvent;
    const opened = openPairRequest(ev.body, ev.from, desk.device.box.secretKey);
    expect(b64u(opened.token)).toBe(b64u(token));
    const phoneSignPk = new Uint8Array(Buffer.from(opened.card.device, "base64url"));
    const deskSas = computeSas(desk.device.sign.publicKey, phoneSignPk, token);
    const phoneSas = computeSas(
      new Uint8Array(Buffer.from(invite.desktop, "base64url")),
      phone.device.sign.publicKey,
      invite.token,
    );
    expect(deskSas).toMatch(/^[0-9]{6}$/);
    expect(phoneSas).toBe(deskSas);
    await desk.grant(ev.from);
    expect(await desk.pairClose(rendezvousOf(token))).toMatchObject({ ok: true });
    const deskPeer = new AppPeer(desk);
    deskPeer.peers.set(ev.from, new Uint8Array(Buffer.from(opened.card.box, "base64url")));
    expect(
      await deskPeer.send(
        ev.from,
        "pair.accept",
        { card: makeCard(desk.device, "desktop", "Desk & Co"), caps: ["chat"] },
        1,
      ),
    ).toMatchObject({ ok: true, status: "stored" });
    // Phone: the card must match the QR's d and b.
    const phonePeer = new AppPeer(phone);
    phonePeer.peers.set(invite.desktop, invite.desktopBox);
    const accept = await phonePeer.next((r) => r.inner.t === "pair.accept", "pair.accept");
    const card = verifyCard((accept.inner.d as { card: unknown }).card, invite.desktop);
    expect(card.box).toBe(b64u(invite.desktopBox));
    await Promise.all([desk.close(), phone.close()]);
  });
});
