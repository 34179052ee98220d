// A phone written with `shared` alone (client + crypto + pairing), as the
// mobile app would be: used by the e2e tests and the terminal benchmark to
// prove that the hub interoperates through a real relay.
import { AppType, pairAcceptSchema, termOutputText } from "@neural-link/shared/app";
import {
  Endpoint,
  GatewayClient,
  type IncomingMessage,
  RpcClient,
  standardSocketFactory,
} from "@neural-link/shared/client";
import { generateIdentity, type Identity, makeCard, MemorySeenIds, signPublicKeyOf } from "@neural-link/shared/crypto";
import {
  checkPairAccept,
  computeSas,
  type PairInvite,
  parsePairUri,
  rendezvousOf,
  sealPairRequest,
} from "@neural-link/shared/pairing";
import WebSocket from "ws";

export class TestPhone {
  readonly identity: Identity = generateIdentity();
  readonly gateway: GatewayClient;
  readonly endpoint: Endpoint;
  readonly inbox: IncomingMessage[] = [];
  private waiters: (() => void)[] = [];
  rpc: RpcClient | null = null;
  hub: string | null = null;
  /** Added to this phone's clock when it seals envelopes: a frame "sent" in the past or future. */
  clockOffsetMs = 0;

  /** `binaryFrames`: ask for binary SEND / FRAME like the phone app does; off by default (a JSON-only client). */
  constructor(
    relayUrl: string,
    readonly name = "Test Phone",
    opts: { binaryFrames?: boolean } = {},
  ) {
    this.gateway = new GatewayClient({
      url: relayUrl,
      identity: this.identity,
      socketFactory: standardSocketFactory(WebSocket),
      binaryFrames: opts.binaryFrames ?? false,
      settings: { ackDelayMs: 5 },
    });
    this.endpoint = new Endpoint({
      gateway: this.gateway,
      identity: this.identity,
      seen: new MemorySeenIds(),
      now: () => Date.now() + this.clockOffsetMs,
    });
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

  /**
   * docs/protocol.md section 10, phone side: grant the desktop, send the sealed request. Returns the SAS this phone
   * shows.
   */
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
    const msg = await this.next(
      (m) => m.from === invite.desktop && (m.t === AppType.PAIR_ACCEPT || m.t === AppType.PAIR_REJECT),
    );
    if (msg.t === AppType.PAIR_REJECT) throw new Error("pairing was refused");
    const accept = pairAcceptSchema.parse(msg.d);
    checkPairAccept(accept.card, invite);
    this.hub = invite.desktop;
    this.rpc = new RpcClient(this.endpoint, invite.desktop, { callTimeoutMs: 15_000 });
    return { caps: accept.caps };
  }

  /**
   * Opens a terminal the way a phone must since terminals need approval
   * (docs/protocol.md section 11): `term.open`, this phone's own approval, the
   * desktop's through `approveOnDesktop` when the mode asks for it, then waits
   * until the hub pushes the terminal task as running. Returns the terminal id.
   */
  async openTerminal(
    size: { cols: number; rows: number; cwd?: string },
    approveOnDesktop?: (task: string) => Promise<unknown>,
  ): Promise<string> {
    const opened = await this.rpc!.call("term.open", size);
    const task = opened.task;
    if (!task || opened.state === "open") return opened.term;
    if (task.awaiting?.includes("phone")) await this.rpc!.call("tasks.approve", { task: task.id, approve: true });
    if (task.awaiting?.includes("desktop")) await approveOnDesktop?.(task.id);
    await this.next(
      (m) =>
        m.t === AppType.TASK_UPDATED &&
        (m.d as { task: { id: string; state: string } }).task.id === task.id &&
        (m.d as { task: { state: string } }).task.state === "running",
    );
    return opened.term;
  }

  /**
   * Everything terminal `term` printed that reached this phone so far, in order. Output goes out
   * as the pty yields it, so a line may be split over several `term.output` messages: match text
   * against this, not against one message.
   */
  outputOf(term: string): string {
    return this.inbox
      .filter((m) => m.t === AppType.TERM_OUTPUT && (m.d as { term: string }).term === term)
      .map((m) => termOutputText((m.d as { data: string | Uint8Array }).data))
      .join("");
  }

  /** Waits until terminal `term` has printed `text` (see `outputOf`). */
  async waitForOutput(term: string, text: string, timeoutMs = 15_000): Promise<void> {
    await this.next(() => this.outputOf(term).includes(text), timeoutMs);
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
