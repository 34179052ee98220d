import { describe, expect, it } from "vitest";
import { generateIdentity, type Identity, makeCard, sharedKey } from "@neural-link/shared/crypto";
import { b64uDecode, b64uEncode } from "@neural-link/shared/encoding";
import {
  checkPairRequest,
  encodePairUri,
  newPairToken,
  openPairRequest,
  rendezvousOf,
} from "@neural-link/shared/pairing";
import { pairWithDesktop, type PairDeps, type PairProgress } from "./pair-flow";
import { type PairingGateway, PairingRefusedError, type PeerMessage } from "./pairing-gateway";

const NOW = 1_767_000_000_000;

/**
 * The desktop's side of docs/protocol.md section 10, done with the shared pairing functions
 * (the same ones the hub uses): it opens the phone's sealed request, checks
 * the token and card, computes the SAS, and answers as told. It stands in
 * for the relay connection, which the e2e tests exercise for real.
 */
function desktopAt(answer: "accept" | "reject" | "impostor" | "silent" | "closed") {
  const desktop = generateIdentity();
  const token = newPairToken();
  const expires = Math.floor(NOW / 1000) + 300;
  const uri = encodePairUri({
    relay: "wss://relay.example/v1/gateway",
    desktop: b64uEncode(desktop.signPublicKey),
    box: desktop.boxPublicKey,
    token,
    expires,
    name: "Studio",
  });
  const seen = { sas: "", granted: [] as string[], closed: false, rendezvous: "" };
  const gatewayFor = (relay: string): PairingGateway => {
    expect(relay).toBe("wss://relay.example/v1/gateway");
    let listener: ((m: PeerMessage) => void) | null = null;
    let phoneId = "";
    return {
      open: async () => {},
      grant: async (peer) => void seen.granted.push(peer),
      async pairRequest(rendezvous, body) {
        seen.rendezvous = rendezvous;
        if (answer === "closed") throw new PairingRefusedError("rendezvous_closed", "nothing waiting");
        const opened = openPairRequest(body, desktop.boxSecretKey);
        const card = opened.card as { device: string };
        phoneId = card.device;
        const candidate = checkPairRequest(
          opened,
          phoneId,
          { token, expires, used: false, desktopSignPublicKey: desktop.signPublicKey },
          NOW,
        );
        seen.sas = candidate.sas;
        const from = b64uEncode(desktop.signPublicKey);
        queueMicrotask(() => {
          if (answer === "accept")
            listener?.({
              from,
              t: "pair.accept",
              d: { card: makeCard(desktop, "desktop", "Studio"), caps: ["chat", "tasks"] },
            });
          if (answer === "reject") listener?.({ from, t: "pair.reject", d: { reason: "not now" } });
          if (answer === "impostor")
            listener?.({
              from,
              t: "pair.accept",
              d: { card: makeCard(generateIdentity(), "desktop", "Studio"), caps: [] },
            });
        });
      },
      onPeerMessage(peer, box, l) {
        expect(peer).toBe(b64uEncode(desktop.signPublicKey));
        expect(box).toEqual(desktop.boxPublicKey);
        listener = l;
        return () => (listener = null);
      },
      close: () => void (seen.closed = true),
    };
  };
  return { desktop, uri, seen, gatewayFor };
}

function deps(phone: Identity, gatewayFor: PairDeps["gatewayFor"], progress: PairProgress[] = []): PairDeps {
  return {
    identity: phone,
    phoneName: "Test phone",
    gatewayFor,
    now: () => NOW,
    answerTimeoutMs: 200,
    onProgress: (p) => progress.push(p),
  };
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof PairingRefusedError)) throw new Error(`expected a PairingRefusedError, got ${String(e)}`);
  return e.reason;
}

describe("pairWithDesktop", () => {
  it("pairs: grants the desktop, shows the desktop's SAS, and keeps the verified card", async () => {
    const phone = generateIdentity();
    const { desktop, uri, seen, gatewayFor } = desktopAt("accept");
    const progress: PairProgress[] = [];
    const pairing = await pairWithDesktop(uri, deps(phone, gatewayFor, progress));
    expect(progress.map((p) => p.step)).toEqual(["connecting", "waiting"]);
    expect(progress[0]?.sas).toBe(seen.sas);
    expect(progress[0]?.desktopName).toBe("Studio");
    expect(seen.granted).toEqual([b64uEncode(desktop.signPublicKey)]);
    expect(seen.closed).toBe(true);
    expect(pairing).toEqual({
      device: b64uEncode(desktop.signPublicKey),
      box: b64uEncode(desktop.boxPublicKey),
      name: "Studio",
      relay: "wss://relay.example/v1/gateway",
      caps: ["chat", "tasks"],
      pairedAt: NOW,
    });
    // The pairing is enough to talk: both ends derive the same key.
    expect(sharedKey(desktop.boxPublicKey, phone.boxSecretKey)).toEqual(
      sharedKey(phone.boxPublicKey, desktop.boxSecretKey),
    );
  });

  it("refuses an answer carrying another desktop's card", async () => {
    const { uri, gatewayFor } = desktopAt("impostor");
    expect(await refusal(pairWithDesktop(uri, deps(generateIdentity(), gatewayFor)))).toBe("bad_card");
  });

  it("reports a refusal, a closed rendezvous and a desktop that never answers", async () => {
    for (const [answer, reason] of [
      ["reject", "rejected"],
      ["closed", "rendezvous_closed"],
      ["silent", "timeout"],
    ] as const) {
      const { uri, seen, gatewayFor } = desktopAt(answer);
      expect(await refusal(pairWithDesktop(uri, deps(generateIdentity(), gatewayFor)))).toBe(reason);
      expect(seen.closed).toBe(true);
    }
  });

  it("refuses a malformed or expired code before connecting anywhere", async () => {
    const noGateway = () => {
      throw new Error("must not connect");
    };
    expect(await refusal(pairWithDesktop("https://example.com/?v=1", deps(generateIdentity(), noGateway)))).toBe(
      "invalid_link",
    );
    const { uri } = desktopAt("accept");
    const late = { ...deps(generateIdentity(), noGateway), now: () => NOW + 301_000 };
    expect(await refusal(pairWithDesktop(uri, late))).toBe("expired");
  });

  it("stops when cancelled", async () => {
    const { uri, gatewayFor } = desktopAt("silent");
    const abort = new AbortController();
    const running = pairWithDesktop(uri, {
      ...deps(generateIdentity(), gatewayFor),
      answerTimeoutMs: 60_000,
      signal: abort.signal,
    });
    setTimeout(() => abort.abort(), 10);
    expect(await refusal(running)).toBe("network");
  });
});

// rendezvousOf is what the relay sees; make sure the phone sends that, not the token.
describe("the pair request", () => {
  it("goes to the token's rendezvous", async () => {
    const { uri, seen, gatewayFor } = desktopAt("accept");
    await pairWithDesktop(uri, deps(generateIdentity(), gatewayFor));
    const token = new URL(uri.replace("nlink://pair?", "http://x/?")).searchParams.get("t")!;
    expect(seen.rendezvous).toBe(rendezvousOf(b64uDecode(token)));
  });
});
