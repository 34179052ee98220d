import { type Capability, pairAcceptSchema, pairRejectSchema } from "@neural-link/shared/app";
import { b64uEncode } from "@neural-link/shared/encoding";
import { type Identity, makeCard, signPublicKeyOf } from "@neural-link/shared/crypto";
import {
  checkPairAccept,
  computeSas,
  type PairInvite,
  PairingError,
  parsePairUri,
  rendezvousOf,
  sealPairRequest,
} from "@neural-link/shared/pairing";
import type { Pairing } from "../storage/pairings-store";
import { type PairingGateway, PairingRefusedError, type PeerMessage } from "./pairing-gateway";
import { logFailure } from "@neural-link/ui/log";

/** What the pairing screen shows while the desktop's user looks at their screen. */
export interface PairProgress {
  step: "connecting" | "waiting";
  desktopName: string;
  /** The six digits both screens show; the person compares them. */
  sas: string;
}

export interface PairDeps {
  identity: Identity;
  /** This phone's name as the desktop will list it. */
  phoneName: string;
  gatewayFor(relayUrl: string): PairingGateway;
  now(): number;
  /** How long to wait for the desktop's answer once the request is sent. */
  answerTimeoutMs: number;
  onProgress(progress: PairProgress): void;
  /** Aborts a pairing the person gave up on. */
  signal?: AbortSignal;
}

/** Parses the pasted or scanned text; refuses anything but a well-formed, unexpired invitation. */
export function readInvite(text: string, nowMs: number): PairInvite {
  let invite: PairInvite;
  try {
    invite = parsePairUri(text);
  } catch (e) {
    throw new PairingRefusedError(
      "invalid_link",
      e instanceof PairingError ? `Not a valid pairing code: ${e.message}.` : "Not a valid pairing code.",
    );
  }
  if (nowMs >= invite.expires * 1000)
    throw new PairingRefusedError("expired", "This pairing code has expired. Show a new one on the desktop.");
  return invite;
}

function waitForAnswer(
  gateway: PairingGateway,
  invite: PairInvite,
  deps: PairDeps,
): { answer: Promise<PeerMessage>; stop: () => void } {
  let stop = () => {};
  const answer = new Promise<PeerMessage>((resolve, reject) => {
    const off = gateway.onPeerMessage(invite.desktop, invite.box, (m) => {
      if (m.t === "pair.accept" || m.t === "pair.reject") resolve(m);
    });
    const timer = setTimeout(
      () => reject(new PairingRefusedError("timeout", "The desktop did not answer. Try again.")),
      deps.answerTimeoutMs,
    );
    const onAbort = () => reject(new PairingRefusedError("network", "Pairing was cancelled."));
    deps.signal?.addEventListener("abort", onAbort);
    stop = () => {
      off();
      clearTimeout(timer);
      deps.signal?.removeEventListener("abort", onAbort);
    };
  });
  return { answer, stop };
}

/**
 * Pairs this phone with the desktop whose invitation `text` is
 * (docs/protocol.md section 10, the phone's side): connect and authenticate at the
 * invitation's relay, grant the desktop, send the sealed request, show the
 * SAS, and accept the desktop only if its card is the one the QR code named.
 */
export async function pairWithDesktop(text: string, deps: PairDeps): Promise<Pairing> {
  const invite = readInvite(text, deps.now());
  const sas = computeSas(signPublicKeyOf(invite.desktop), deps.identity.signPublicKey, invite.token);
  deps.onProgress({ step: "connecting", desktopName: invite.name, sas });
  const gateway = deps.gatewayFor(invite.relay);
  // Listen before sending: the answer may arrive as soon as the request lands.
  const { answer, stop } = waitForAnswer(gateway, invite, deps);
  // Awaited below; if a step before that fails, this says why the answer was not waited for (no unhandled rejection).
  answer.catch(logFailure("pairing answer not awaited: an earlier step failed", { desktop: invite.desktop }, "debug"));
  try {
    await gateway.open();
    await gateway.grant(invite.desktop);
    const body = sealPairRequest(
      deps.identity,
      invite.box,
      invite.token,
      makeCard(deps.identity, "phone", deps.phoneName),
    );
    await gateway.pairRequest(rendezvousOf(invite.token), body);
    deps.onProgress({ step: "waiting", desktopName: invite.name, sas });
    const reply = await answer;
    if (reply.t === "pair.reject") {
      const parsed = pairRejectSchema.safeParse(reply.d);
      const why = parsed.success && parsed.data.reason ? `: ${parsed.data.reason}` : ".";
      throw new PairingRefusedError("rejected", `The desktop refused to pair${why}`);
    }
    return acceptedPairing(reply.d, invite, deps.now());
  } finally {
    stop();
    gateway.close();
  }
}

function acceptedPairing(data: unknown, invite: PairInvite, now: number): Pairing {
  const parsed = pairAcceptSchema.safeParse(data);
  if (!parsed.success) throw new PairingRefusedError("bad_card", "The desktop's answer is malformed.");
  try {
    const desktop = checkPairAccept(parsed.data.card, invite);
    const caps: Capability[] = parsed.data.caps;
    return {
      device: desktop.card.device,
      box: b64uEncode(desktop.boxPublicKey),
      name: desktop.card.name,
      relay: invite.relay,
      caps,
      pairedAt: now,
    };
  } catch (e) {
    // Not the desktop the QR code named: someone else answered. Refuse it.
    throw new PairingRefusedError(
      "bad_card",
      `The answer is not from the desktop in the QR code (${e instanceof Error ? e.message : "bad card"}).`,
    );
  }
}
