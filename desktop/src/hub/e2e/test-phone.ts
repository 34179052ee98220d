// A phone written with `shared` alone (client + crypto + pairing), as the
// mobile app would be: used by the e2e tests and the terminal benchmark to
// prove that the hub interoperates through a real relay.
import { AppType, pairAcceptSchema } from "@neural-link/shared/app";
import { Endpoint, GatewayClient, type IncomingMessage, RpcClient, standardSocketFactory } from "@neural-link/shared/client";
import { generateIdentity, type Identity, makeCard, MemorySeenIds, signPublicKeyOf } from "@neural-link/shared/crypto";
import { checkPairAccept, computeSas, type PairInvite, parsePairUri, rendezvousOf, sealPairRequest } from "@neural-link/shared/pairing";
import WebSocket from "ws";

export class TestPhone {
  readonly identity: Identity = generateIdentity();
  readonly gateway: GatewayClient;
  readonly endpoint: Endpoint;
  readonly inbox: IncomingMessage[] = [];
  private waiters: (() => void)[] = [];
  rpc: RpcClient | null = null;
  hub: string | null = null;

  constructor(relayUrl: string, readonly name = "Test Phone") {
    this.gateway = new GatewayClient({ url: relayUrl, identity: this.identity, socketFactory: standardSocketFactory(WebSocket), settings: { ackDelayMs: 5 } });
    this.endpoint = new Endpoint({ gateway: this.gateway, identity: this.identity, seen: new MemorySeenIds() });
    this.endpoint.on("message", (m) => {
      this.inbox.push(m);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  get device(): string {
    return this.gateway.device;
  }

  async connect(): Promise<void> {
    this.gateway.start();
    await this.gateway.whenOnline();
  }

  /** Section 8, phone side: grant the desktop, send the sealed request. Returns the SAS this phone shows. */
  async requestPairing(uri: string): Promise<{ invite: PairInvite; sas: string }> {
    const invite = parsePairUri(uri);
    this.endpoint.peers.set(invite.desktop, invite.box);
    await this.gateway.grant(invite.desktop);
    const body = sealPairRequest(this.identity, invite.box, invite.token, makeCard(this.identity, "phone", this.name));
    await this.gateway.pairRequest(rendezvousOf(invite.token), body);
    return { invite, sas: computeSas(signPublicKeyOf(invite.desktop), this.identity.signPublicKey, invite.token) };
  }

  /** Waits for `pair.accept`, checks the desktop card against the QR code, and starts calling. */
  async completePairing(invite: PairInvite): Promise<{ caps: string[] }> {
    const msg = await this.next((m) => m.from === invite.desktop && (m.t === AppType.PAIR_ACCEPT || m.t === AppType.PAIR_REJECT));
    if (msg.t === AppType.PAIR_REJECT) throw new Error("pairing was refused");
    const accept = pairAcceptSchema.parse(msg.d);
    checkPairAccept(accept.card, invite);
    this.hub = invite.desktop;
    this.rpc = new RpcClient(this.endpoint, invite.desktop, { callTimeoutMs: 15_000 });
    return { caps: accept.caps };
  }

  /** The first message (already received or still to come) that fits. */
  async next(fits: (m: IncomingMessage) => boolean, timeoutMs = 15_000): Promise<IncomingMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.inbox.find(fits);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("timed out waiting for a message");
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  stop(): void {
    this.rpc?.dispose();
    this.gateway.stop();
  }
}
