import {
  Endpoint,
  GatewayClient,
  GatewayReplyError,
  MemoryOutbox,
  type SocketFactory,
} from "@neural-link/shared/client";
import type { Identity, SeenIds } from "@neural-link/shared/crypto";
import { type PairingGateway, PairingRefusedError } from "./pairing-gateway";

export interface GatewayPairingDeps {
  socketFactory: SocketFactory;
  seen: SeenIds;
  client: { name: string; version: string };
  connectTimeoutMs: number;
}

/** The pairing steps over the shared gateway client, with the relay's refusals put in words. */
export function createGatewayPairing(relayUrl: string, identity: Identity, deps: GatewayPairingDeps): PairingGateway {
  const gateway = new GatewayClient({
    url: relayUrl,
    identity,
    socketFactory: deps.socketFactory,
    binaryFrames: true,
    outbox: new MemoryOutbox(),
    client: deps.client,
  });
  const endpoint = new Endpoint({ gateway, identity, seen: deps.seen });
  const unreachable = () =>
    new PairingRefusedError("network", `Cannot reach the relay at ${relayUrl}. Check the phone's connection.`);

  return {
    async open() {
      gateway.start();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(unreachable()), deps.connectTimeoutMs);
      });
      try {
        await Promise.race([gateway.whenOnline(), timeout]);
      } catch (e) {
        throw e instanceof PairingRefusedError ? e : unreachable();
      } finally {
        clearTimeout(timer);
      }
    },
    async grant(peer) {
      try {
        await gateway.grant(peer);
      } catch {
        throw unreachable();
      }
    },
    async pairRequest(rendezvous, body) {
      try {
        await gateway.pairRequest(rendezvous, body);
      } catch (e) {
        if (e instanceof GatewayReplyError && e.code === "rendezvous_closed") {
          throw new PairingRefusedError(
            "rendezvous_closed",
            "The desktop is not waiting for this code any more (closed, used, or offline). Show a new code.",
          );
        }
        if (e instanceof GatewayReplyError)
          throw new PairingRefusedError("network", `The relay refused the request (${e.code}).`);
        throw unreachable();
      }
    },
    onPeerMessage(peer, peerBoxPublicKey, listener) {
      endpoint.peers.set(peer, peerBoxPublicKey);
      return endpoint.on("message", (m) => {
        if (m.from === peer) listener({ from: m.from, t: m.t, d: m.d });
      });
    },
    close() {
      endpoint.dispose();
      gateway.stop();
    },
  };
}
