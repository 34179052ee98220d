/**
 * The bench's client (bench/relay.ts): one `ws` socket that authenticates to
 * the relay as any device does (a signed AUTH, optionally asking for binary
 * frames), or names itself to the bare forwarder; and the SEND messages the
 * bench writes. The same client and the same messages drive both servers.
 */
import { randomBytes } from "node:crypto";
import WebSocket from "ws";
import { newIdentity, signChallenge, type Identity } from "../relay/test/gateway-client";
import type { Server } from "./relay-server";

export class Client {
  /** Called for each message; a binary FRAME is counted, not read (the client's work must not blur the server's). */
  onText: (text: string) => void = () => undefined;
  private constructor(
    readonly ws: WebSocket,
    readonly identity: Identity,
  ) {}

  static async open(server: Server, identity: Identity = newIdentity(), binary = false): Promise<Client> {
    const ws = new WebSocket(server.url, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    const client = new Client(ws, identity);
    const first = new Promise<string>((resolve, reject) => {
      ws.once("message", (d) => resolve(d.toString()));
      ws.once("error", reject);
    });
    if (server.kind === "relay") {
      const hello = JSON.parse(await first) as { d: { challenge: string; relay: string } };
      const features = binary ? { features: ["binary-frames-1"] } : {};
      ws.send(
        JSON.stringify({
          op: 2,
          d: { device: identity.device, sig: signChallenge(identity, hello.d.challenge, hello.d.relay), ...features },
        }),
      );
    } else {
      await new Promise((r) => ws.once("open", r));
      ws.send(JSON.stringify({ op: 2, d: { device: identity.device } }));
    }
    await new Promise<void>((resolve) => ws.once("message", () => resolve()));
    ws.on("message", (d, isBinary) => client.onText(isBinary ? "" : d.toString()));
    return client;
  }

  /** Sends an op with a ref and waits for its REPLY (setup only). */
  async request(op: number, d: Record<string, unknown>): Promise<void> {
    const ref = randomBytes(6).toString("hex");
    await new Promise<void>((resolve) => {
      const previous = this.onText;
      this.onText = (text) => {
        if (text.includes(ref)) {
          this.onText = previous;
          resolve();
        }
      };
      this.ws.send(JSON.stringify({ op, d: { ...d, ref } }));
    });
  }

  close(): void {
    this.ws.close();
  }

  get device(): string {
    return this.identity.device;
  }
}

export const frameId = () => randomBytes(16).toString("base64url");

/** A JSON SEND of `bytes` random envelope bytes. */
export const sendText = (to: string, bytes: number, qos = 0, id = frameId(), ref?: string) =>
  JSON.stringify({
    op: 5,
    d: { id, to, body: randomBytes(bytes).toString("base64url"), qos, ...(ref !== undefined ? { ref } : {}) },
  });

/** A binary SEND (docs/protocol.md section 5): 0x05, qos 0, id, to, no ref, the envelope. */
export const sendBinary = (to: string, bytes: number): Buffer =>
  Buffer.concat([
    Buffer.from([5, 0]),
    randomBytes(16),
    Buffer.from(to, "base64url"),
    Buffer.from([0]),
    randomBytes(bytes),
  ]);

/** Two connected devices that have granted each other (the relay checks the grant on every SEND). */
export async function grantedPair(server: Server, binary = false): Promise<[Client, Client]> {
  const a = await Client.open(server, newIdentity(), binary);
  const b = await Client.open(server, newIdentity(), binary);
  if (server.kind === "relay") {
    await a.request(8, { peer: b.device });
    await b.request(8, { peer: a.device });
  }
  return [a, b];
}
