/** An end-to-end message from a peer, opened and checked. */
export interface PeerMessage {
  from: string;
  t: string;
  d: unknown;
}

/**
 * What pairing needs from a connection to the relay named in the QR code:
 * authenticate, grant the desktop (so its `pair.accept` may reach us), send
 * the sealed PAIR_REQUEST, and hear the desktop's answer.
 */
export interface PairingGateway {
  /** Resolves once the relay said READY. */
  open(): Promise<void>;
  grant(peer: string): Promise<void>;
  /** Rejects with PairingRefusedError("rendezvous_closed") when nothing is waiting at the rendezvous. */
  pairRequest(rendezvous: string, body: string): Promise<void>;
  /** Listens for opened frames from `peer`, whose box key the QR code gave us. */
  onPeerMessage(peer: string, peerBoxPublicKey: Uint8Array, listener: (message: PeerMessage) => void): () => void;
  close(): void;
}

/** Why pairing stopped, in a form the screen can word and tests can check. */
export type PairFailure =
  "invalid_link" | "expired" | "rendezvous_closed" | "rejected" | "bad_card" | "timeout" | "network";

export class PairingRefusedError extends Error {
  override name = "PairingRefusedError";
  constructor(
    readonly reason: PairFailure,
    message: string,
  ) {
    super(message);
  }
}
