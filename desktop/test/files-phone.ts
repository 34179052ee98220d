// A phone for file transfers, written with `shared` alone (the same client,
// endpoint and transfer drivers the phone app runs), whose WebSocket can be
// cut from outside: used by the files e2e test and `npm run bench:files`.
import { AppType, pairAcceptSchema } from "@neural-link/shared/app";
import {
  Endpoint,
  GatewayClient,
  type GatewayClientSettings,
  RpcClient,
  standardSocketFactory,
} from "@neural-link/shared/client";
import { generateIdentity, makeCard, MemorySeenIds } from "@neural-link/shared/crypto";
import type { FilePort } from "@neural-link/shared/files";
import { checkPairAccept, parsePairUri, rendezvousOf, sealPairRequest } from "@neural-link/shared/pairing";
import WebSocket from "ws";

/** Pairing as the hub's API offers it (HubNode, or anything with the same three calls). */
export interface PairingHub {
  startPairing(): Promise<{ uri: string }>;
  on(event: "pairing.request", listener: (r: { requestId: string }) => void): () => void;
  answerPairing(p: { requestId: string; accept: boolean }): Promise<void>;
}

export class FilesPhone implements FilePort {
  readonly identity = generateIdentity();
  readonly gateway: GatewayClient;
  readonly endpoint: Endpoint;
  private rpc: RpcClient | null = null;
  private hub = "";
  /** Every socket this phone opened, newest last: `cut()` drops the newest without a close handshake. */
  private readonly sockets: WebSocket[] = [];

  constructor(
    relayUrl: string,
    opts: { binaryFrames?: boolean; gateway?: Partial<GatewayClientSettings>; callTimeoutMs?: number } = {},
  ) {
    const sockets = this.sockets;
    class TrackedSocket extends WebSocket {
      constructor(url: string) {
        super(url);
        sockets.push(this);
      }
    }
    this.gateway = new GatewayClient({
      url: relayUrl,
      identity: this.identity,
      socketFactory: standardSocketFactory(TrackedSocket),
      binaryFrames: opts.binaryFrames ?? true,
      settings: { ackDelayMs: 5, reconnectBaseMs: 100, reconnectMaxMs: 1000, ...opts.gateway },
    });
    this.endpoint = new Endpoint({ gateway: this.gateway, identity: this.identity, seen: new MemorySeenIds() });
    this.callTimeoutMs = opts.callTimeoutMs ?? 15_000;
  }

  private readonly callTimeoutMs: number;

  get device(): string {
    return this.gateway.device;
  }

  async connect(): Promise<void> {
    this.gateway.start();
    await this.gateway.whenOnline();
  }

  /** docs/protocol.md section 10, both sides at once: the hub's API accepts the request this phone sends. */
  async pairWith(hub: PairingHub): Promise<void> {
    const off = hub.on("pairing.request", (r) => void hub.answerPairing({ requestId: r.requestId, accept: true }));
    try {
      await this.pairWithUri((await hub.startPairing()).uri);
    } finally {
      off();
    }
  }

  /** The phone's side alone, for a hub (in another process) that accepts on its own. */
  async pairWithUri(uri: string): Promise<void> {
    {
      const invite = parsePairUri(uri);
      this.endpoint.peers.set(invite.desktop, invite.box);
      await this.gateway.grant(invite.desktop);
      const accepted = new Promise<unknown>((resolve) => {
        const stop = this.endpoint.on("message", (m) => {
          if (m.from === invite.desktop && m.t === AppType.PAIR_ACCEPT) {
            stop();
            resolve(m.d);
          }
        });
      });
      await this.gateway.pairRequest(
        rendezvousOf(invite.token),
        sealPairRequest(this.identity, invite.box, invite.token, makeCard(this.identity, "phone", "Files Phone")),
      );
      checkPairAccept(pairAcceptSchema.parse(await accepted).card, invite);
      this.hub = invite.desktop;
      this.rpc = new RpcClient(this.endpoint, invite.desktop, { callTimeoutMs: this.callTimeoutMs });
    }
  }

  call: FilePort["call"] = (method, params) => {
    if (!this.rpc) throw new Error("not paired");
    return this.rpc.call(method, params);
  };

  async send(t: string, d: unknown, qos: 0 | 1): Promise<void> {
    const { outcome } = await this.endpoint.send(this.hub, t, d, qos);
    if (outcome === "dropped") throw new Error("not connected");
  }

  onPush(listener: (push: { t: string; d: unknown }) => void): () => void {
    return this.endpoint.on("message", (m) => {
      if (m.from === this.hub) listener({ t: m.t, d: m.d });
    });
  }

  /** Drops the current connection as a network failure would (no close frame); the client reconnects by itself. */
  cut(): void {
    this.sockets.at(-1)?.terminate();
  }

  stop(): void {
    this.rpc?.dispose();
    this.gateway.stop();
  }
}
