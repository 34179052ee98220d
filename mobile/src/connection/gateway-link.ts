import { type MethodName, type MethodParams, type MethodResult, AppType } from "@neural-link/shared/app";
import { Endpoint, GatewayClient, MemoryOutbox, RpcClient, type SocketFactory } from "@neural-link/shared/client";
import type { Identity, SeenIds } from "@neural-link/shared/crypto";
import { b64uDecode } from "@neural-link/shared/encoding";
import type { Pairing } from "../storage/pairings-store";
import { MOBILE_SETTINGS } from "../settings";
import type { HubLink, LinkStatus, Push } from "./hub-link";
import { onNetworkBack } from "./network-back";
import { Emitter } from "@neural-link/shared/events";
import { browserLog } from "@neural-link/ui/log";

export interface GatewayLinkDeps {
  socketFactory: SocketFactory;
  seen: SeenIds;
  client: { name: string; version: string };
  rpcTimeoutMs?: number;
  /**
   * Called once, at the first READY of a pairing with no relay id yet, to store it with the pairing (trust on first
   * use).
   */
  relayTrusted?: (device: string, relayId: string) => void;
}

const RPC_TYPES: ReadonlySet<string> = new Set([AppType.RPC, AppType.RPC_RESULT, AppType.RPC_ERROR]);

/**
 * A HubLink over the shared gateway client: one authenticated connection to
 * the pairing's relay (reconnecting and resuming on its own), the
 * end-to-end endpoint that knows only this desktop, and RPC calls to it.
 *
 * Calls made while offline wait in an in-memory outbox and go out on
 * reconnect. The outbox is deliberately not persisted: a command queued in
 * a closed tab should not run on the desktop days later when it reopens.
 */
export function createGatewayLink(pairing: Pairing, identity: Identity, deps: GatewayLinkDeps): HubLink {
  // The relay id checked before signing: the pairing's, or (trust on first use) the first READY's.
  let trustedRelayId = pairing.relayId ?? null;
  const gateway = new GatewayClient({
    url: pairing.relay,
    identity,
    socketFactory: deps.socketFactory,
    // SEND / FRAME as binary messages when the relay grants it; JSON with an older relay (docs/protocol.md section 5).
    binaryFrames: true,
    outbox: new MemoryOutbox(),
    client: deps.client,
    expectedRelayId: () => trustedRelayId,
  });
  const endpoint = new Endpoint({ gateway, identity, seen: deps.seen });
  endpoint.peers.set(pairing.device, b64uDecode(pairing.box));
  const rpc = new RpcClient(endpoint, pairing.device, {
    callTimeoutMs: deps.rpcTimeoutMs ?? MOBILE_SETTINGS.rpcTimeoutMs,
  });
  // The one event emitter: a throwing listener (a view's bug) cannot stop the others or break the link, and is logged.
  const events = new Emitter<{ status: LinkStatus; push: Push }>(browserLog);
  let status: LinkStatus = { state: "connecting", peerOnline: false, epoch: 0 };

  const update = (patch: Partial<LinkStatus>) => {
    status = { ...status, ...patch };
    events.emit("status", status);
  };
  const offs = [
    gateway.on("state", (s) => {
      const peerOnline = s.state === "online" && gateway.peersOnline().includes(pairing.device);
      const next: LinkStatus = { state: s.state, peerOnline, epoch: status.epoch };
      if (s.lastError && s.state !== "online") next.error = s.lastError;
      status = next;
      events.emit("status", status);
    }),
    gateway.on("ready", (r) => {
      if (trustedRelayId === null && r.relayId !== "") {
        trustedRelayId = r.relayId;
        deps.relayTrusted?.(pairing.device, r.relayId);
      }
      // Re-grant on every fresh session: cheap, idempotent, and heals a relay that lost its grants.
      if (!r.resumed) {
        gateway.grant(pairing.device).catch((err: unknown) => {
          // Without the grant the relay will not carry this phone's messages to the desktop: say so.
          // The next fresh session grants again.
          const why = err instanceof Error ? err.message : String(err);
          browserLog.warn({ device: pairing.device, err: why }, "the relay refused this phone's GRANT");
          update({
            error: `The relay did not accept this phone's grant for the desktop (${why}); reconnecting will try again.`,
          });
        });
      }
      update({ epoch: status.epoch + 1, peerOnline: r.peersOnline.includes(pairing.device) });
    }),
    gateway.on("presence", (p) => {
      if (p.device === pairing.device) update({ peerOnline: p.online });
    }),
    endpoint.on("message", (m) => {
      if (m.from === pairing.device && !RPC_TYPES.has(m.t)) events.emit("push", { t: m.t, d: m.d });
    }),
  ];
  gateway.start();
  offs.push(onNetworkBack(() => gateway.retryNow()));

  return {
    status: () => status,
    onStatus: (l) => events.on("status", l),
    onPush: (l) => events.on("push", l),
    call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
      return rpc.call(method, params);
    },
    async send(t, d, qos, opts) {
      await endpoint.send(pairing.device, t, d, qos, opts);
    },
    close() {
      for (const off of offs) off();
      rpc.dispose();
      endpoint.dispose();
      gateway.stop();
    },
  };
}
