import type { Card } from "@neural-link/shared/crypto";
import type { PairWindow } from "@neural-link/shared/pairing";

/** An open pairing window: the token's window plus what the hub needs to close it. */
export interface OpenWindow extends PairWindow {
  rendezvous: string;
  uri: string;
  timer: ReturnType<typeof setTimeout>;
}

/** A request that passed every check and waits for the person's answer. */
export interface PendingRequest {
  requestId: string;
  device: string;
  name: string;
  box: Uint8Array;
  card: Card;
  sas: string;
  window: OpenWindow;
  expiresAt: number;
}
