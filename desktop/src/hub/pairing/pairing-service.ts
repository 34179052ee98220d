import { AppType, CAPABILITIES, type Capability } from "@neural-link/shared/app";
import { b64uEncode } from "@neural-link/shared/encoding";
import { type Identity, makeCard } from "@neural-link/shared/crypto";
import {
  checkPairRequest,
  encodePairUri,
  newPairToken,
  openPairRequest,
  PairingError,
  rendezvousOf,
} from "@neural-link/shared/pairing";
import type { PairRequestEvent } from "@neural-link/shared/protocol";
import type { Logger } from "pino";
import { DESKTOP_ACTOR, type AuditLog } from "../audit-log";
import type { DeviceInfo, PairingInvite } from "../api";
import { HubError } from "../hub-error";
import type { HubEmitter } from "../hub-events";
import type { HubLink } from "../link/hub-link";
import type { RiskPolicy, Store } from "../store";
import type { OpenWindow, PendingRequest } from "./pairing-window";

export interface PairingDeps {
  link: HubLink;
  identity: Identity;
  store: Store;
  audit: AuditLog;
  events: HubEmitter;
  log: Logger;
  /** The hub's name, as the QR code and card carry it. */
  name(): string;
  /** The relay URL a phone can reach. */
  relayUrl(): string;
  /** Capabilities a newly paired phone gets. */
  defaultCaps(): readonly Capability[];
  /** Seconds a pairing window stays open (the relay allows at most 600). */
  ttlS(): number;
  describeDevice(id: string): Promise<DeviceInfo>;
  now?: () => number;
}

/**
 * Pairing a phone by QR code (docs/protocol.md section 10), desktop side: opens a
 * rendezvous, checks each PAIR_REQUEST with shared's checkPairRequest, asks
 * the person to compare the SAS, and on yes stores the phone, GRANTs it,
 * closes the rendezvous and sends `pair.accept`. One window at a time; a
 * window serves one pairing, and a refusal closes it too.
 */
export class PairingService {
  private window: OpenWindow | null = null;
  private readonly pending = new Map<string, PendingRequest>();
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly deps: PairingDeps) {
    this.now = deps.now ?? Date.now;
    this.log = deps.log.child({ mod: "hub/pairing" });
    deps.link.on("pairRequest", (ev) => {
      this.onRequest(ev).catch((err: unknown) => this.log.error({ err }, "pair request handling failed"));
    });
  }

  async start(): Promise<PairingInvite & { qrText: string }> {
    if (this.deps.link.status.state !== "online")
      throw new HubError("not_ready", "the hub is not connected to its relay yet");
    await this.cancel();
    const token = newPairToken();
    const rendezvous = rendezvousOf(token);
    const ttlS = this.deps.ttlS();
    const expires = Math.floor(this.now() / 1000) + ttlS;
    try {
      await this.deps.link.gateway.pairOpen(rendezvous, ttlS);
    } catch (err) {
      throw new HubError(
        "conflict",
        `the relay refused to open a pairing window: ${err instanceof Error ? err.message : "error"}`,
      );
    }
    const uri = encodePairUri({
      relay: this.deps.relayUrl(),
      desktop: this.deps.link.device,
      box: this.deps.identity.boxPublicKey,
      token,
      expires,
      name: this.deps.name(),
    });
    const timer = setTimeout(() => void this.cancel(), ttlS * 1000);
    timer.unref();
    this.window = {
      token,
      expires,
      used: false,
      desktopSignPublicKey: this.deps.identity.signPublicKey,
      rendezvous,
      uri,
      timer,
    };
    await this.deps.audit.record(DESKTOP_ACTOR, "pairing.opened", rendezvous, { ttl_s: ttlS });
    return { uri, rendezvous, expiresAt: expires * 1000, qrText: uri };
  }

  /** Closes the open window, if any; waiting questions are refused. */
  async cancel(): Promise<void> {
    const w = this.window;
    if (!w) return;
    this.window = null;
    clearTimeout(w.timer);
    for (const p of [...this.pending.values()]) if (p.window === w) this.finish(p, false, "the pairing window closed");
    // The rendezvous also expires on the relay by itself: a close that fails is only logged.
    if (this.deps.link.status.state === "online")
      await this.deps.link.gateway
        .pairClose(w.rendezvous)
        .catch((err: unknown) =>
          this.log.info({ err: String(err) }, "pairing rendezvous not closed; it expires on the relay"),
        );
  }

  async answer(requestId: string, accept: boolean): Promise<void> {
    const p = this.pending.get(requestId);
    if (!p) throw new HubError("not_found", "no such pairing request (it may have expired)");
    if (!accept) {
      await this.refuse(p, "refused on the desktop");
      return;
    }
    this.pending.delete(requestId);
    p.window.used = true;
    const kept = await this.keptSettings(p.device);
    const caps = kept?.caps ?? [...this.deps.defaultCaps()];
    await this.deps.store.devices.add({
      id: p.device,
      name: kept?.name ?? p.name,
      kind: "phone",
      boxPublicKey: b64uEncode(p.box),
      card: p.card,
      caps,
      ...kept?.rest,
    });
    await this.deps.link
      .addPeer(p.device, p.box)
      .catch((err: unknown) => this.log.warn({ err: String(err) }, "grant failed; renewed on next session"));
    const card = makeCard(this.deps.identity, "desktop", this.deps.name());
    // Kept in the outbox if the relay is away; a refusal (the phone withdrew its grant) leaves the phone paired here,
    // revocable.
    await this.deps.link
      .send(p.device, AppType.PAIR_ACCEPT, { card, caps }, 1)
      .catch((err: unknown) => this.log.warn({ err: String(err) }, "pair.accept not delivered"));
    if (this.window === p.window) await this.cancel();
    await this.deps.audit.record(DESKTOP_ACTOR, "device.paired", p.device, {
      name: kept?.name ?? p.name,
      caps,
      ...(kept ? { again: true } : {}),
    });
    this.deps.events.emit("pairing.done", {
      requestId,
      accepted: true,
      device: await this.deps.describeDevice(p.device),
    });
  }

  /**
   * What a device paired again keeps: the name the desktop knows it by (the person
   * may have renamed it) always; while it is still paired (not revoked), also its
   * capabilities, risk overrides and pairing time, so pairing the same phone again
   * never silently resets what the person granted, nor what history it sees. A
   * revoked device starts again from the default capabilities.
   */
  private async keptSettings(
    device: string,
  ): Promise<{ name: string; caps?: string[]; rest?: { policy: RiskPolicy; pairedAt: number } } | undefined> {
    const old = await this.deps.store.devices.get(device);
    if (!old) return undefined;
    if (old.revokedAt !== null) return { name: old.name };
    // Only names this hub still knows go back to the phone in pair.accept.
    const caps = old.caps.filter((c): c is Capability => (CAPABILITIES as readonly string[]).includes(c));
    return { name: old.name, caps, rest: { policy: old.policy, pairedAt: old.pairedAt } };
  }

  private async onRequest(ev: PairRequestEvent): Promise<void> {
    const w = this.window;
    if (!w || ev.rendezvous !== w.rendezvous) return;
    let opened;
    try {
      opened = openPairRequest(ev.body, this.deps.identity.boxSecretKey);
    } catch {
      await this.deps.audit.record(ev.from, "pairing.refused", undefined, { reason: "bad_body" });
      return;
    }
    let candidate;
    try {
      candidate = checkPairRequest(opened, ev.from, w, this.now());
    } catch (err) {
      const code = err instanceof PairingError ? err.code : "bad_body";
      await this.deps.audit.record(ev.from, "pairing.refused", undefined, { reason: code });
      // Only a holder of the real token learns anything back (docs/protocol.md section 10).
      if (code !== "bad_token") await this.sendReject(ev.from, opened.phoneBoxPublicKey, code);
      return;
    }
    for (const p of this.pending.values()) {
      // A phone that retries is already being asked about; a second phone on the same QR is refused.
      if (p.window === w) {
        if (p.device !== ev.from) await this.sendReject(ev.from, opened.phoneBoxPublicKey, "busy");
        return;
      }
    }
    const requestId = b64uEncode(crypto.getRandomValues(new Uint8Array(9)));
    const request: PendingRequest = {
      requestId,
      device: ev.from,
      name: candidate.phone.card.name,
      box: candidate.phone.boxPublicKey,
      card: candidate.phone.card,
      sas: candidate.sas,
      window: w,
      expiresAt: w.expires * 1000,
    };
    this.pending.set(requestId, request);
    await this.deps.audit.record(ev.from, "pairing.requested", undefined, { name: request.name });
    this.deps.events.emit("pairing.request", {
      requestId,
      device: ev.from,
      deviceName: request.name,
      kind: "phone",
      sas: request.sas,
      expiresAt: request.expiresAt,
    });
    this.deps.events.emit("question", {
      kind: "pairing",
      requestId,
      deviceName: request.name,
      sas: request.sas,
      expiresAt: request.expiresAt,
    });
  }

  private async refuse(p: PendingRequest, reason: string): Promise<void> {
    p.window.used = true;
    this.finish(p, false, reason);
    await this.sendReject(p.device, p.box, "refused");
    if (this.window === p.window) await this.cancel();
    await this.deps.audit.record(DESKTOP_ACTOR, "pairing.refused", p.device, { name: p.name });
  }

  private finish(p: PendingRequest, accepted: boolean, reason: string): void {
    this.pending.delete(p.requestId);
    this.deps.events.emit("pairing.done", { requestId: p.requestId, accepted, device: null, reason });
  }

  /** `pair.reject` to a phone that is not (or not yet) a peer: sealed with its key, which is then forgotten. */
  private async sendReject(device: string, box: Uint8Array, reason: string): Promise<void> {
    if (this.deps.link.status.state === "closed") return;
    const peers = this.deps.link.endpoint.peers;
    const known = peers.has(device);
    if (!known) peers.set(device, box);
    // send() seals synchronously before its first await, so the key may go right after the call.
    const sending = this.deps.link.send(device, AppType.PAIR_REJECT, { reason }, 1);
    if (!known) peers.delete(device);
    await sending.catch((err: unknown) => this.log.info({ err: String(err) }, "pair.reject not delivered"));
  }
}
