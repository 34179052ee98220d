import type { SocketFactory, SocketHandlers } from "@neural-link/shared/client";
import {
  type EnvelopeInner,
  generateIdentity,
  type Identity,
  openEnvelope,
  sealEnvelope,
  sharedKey,
} from "@neural-link/shared/crypto";
import { b64uDecode, b64uEncode } from "@neural-link/shared/encoding";

type Sent = { op: number; d: Record<string, unknown> & { ref?: string } };

/**
 * The relay's side of one connection, scripted, for unit tests of the
 * phone's adapters over the shared gateway client in Node (no sockets: the
 * client takes a socket factory). It speaks the protocol's shapes: HELLO,
 * READY on AUTH, a REPLY for every op with `ref`, FRAME and PRESENCE events.
 * The real relay is exercised by the e2e tests.
 */
export class ScriptedRelay {
  readonly received: Sent[] = [];
  /** Per op, the error code its REPLY carries (default: ok). */
  readonly refuse = new Map<number, string>();
  readonly desktop: Identity = generateIdentity();
  peersOnline: string[] = [];
  /** The id its HELLO names; change it to play a different relay at the same URL. */
  relayId = "test-relay";
  private handlers: SocketHandlers | null = null;
  private seq = 0;
  private phone = "";
  connections = 0;

  readonly factory: SocketFactory = (_url, handlers) => {
    this.handlers = handlers;
    this.connections += 1;
    this.seq = 0;
    queueMicrotask(() => {
      handlers.open();
      this.emit({
        op: 4,
        d: { v: 1, heartbeat_interval: 60_000, challenge: b64uEncode(new Uint8Array(32)), relay: this.relayId },
      });
    });
    return {
      send: (data) => {
        // It offers no binary frames (no `features` in HELLO), so a client never sends bytes here.
        if (typeof data !== "string") throw new Error("the scripted relay offers no binary frames");
        this.onClientMessage(JSON.parse(data) as Sent);
      },
      close: () => {},
    };
  };

  get desktopId(): string {
    return b64uEncode(this.desktop.signPublicKey);
  }

  private emit(message: object): void {
    this.handlers?.message(JSON.stringify(message));
  }

  event(t: string, d: object): void {
    this.emit({ op: 0, t, s: ++this.seq, d });
  }

  private onClientMessage(m: Sent): void {
    this.received.push(m);
    if (m.op === 2) {
      this.phone = m.d.device as string;
      this.event("READY", {
        session: "s1",
        device: this.phone,
        heartbeat_interval: 60_000,
        resume_ttl_s: 60,
        peers_online: this.peersOnline,
      });
      return;
    }
    if (m.d && typeof m.d === "object" && m.d.ref) {
      const code = this.refuse.get(m.op);
      this.event(
        "REPLY",
        code
          ? { ref: m.d.ref, ok: false, code, message: "refused by the script" }
          : { ref: m.d.ref, ok: true, ...(m.op === 5 ? { status: "stored" } : {}) },
      );
    }
  }

  /** Delivers an application message from the desktop, sealed as the desktop would. */
  deliver(t: string, d: unknown, qos: 0 | 1 = 1): string {
    const id = b64uEncode(crypto.getRandomValues(new Uint8Array(16)));
    const key = sharedKey(this.phoneBox!, this.desktop.boxSecretKey);
    const body = b64uEncode(
      sealEnvelope(key, { v: 1, id, from: this.desktopId, to: this.phone, ts: Date.now(), t, d }),
    );
    this.event("FRAME", { id, from: this.desktopId, body, qos, ts: Date.now() });
    return id;
  }

  /** Opens a SEND from the phone as the desktop would. */
  open(send: Sent): EnvelopeInner {
    const key = sharedKey(this.phoneBox!, this.desktop.boxSecretKey);
    return openEnvelope(
      key,
      b64uDecode(send.d.body as string),
      { id: send.d.id as string, from: this.phone },
      this.desktopId,
      Date.now(),
    );
  }

  /** The phone's box public key, needed to seal frames to it. */
  phoneBox: Uint8Array | null = null;

  /** Drops the connection as a network failure would. */
  drop(code = 1006): void {
    const h = this.handlers;
    this.handlers = null;
    h?.close(code, "dropped by the script");
  }
}
