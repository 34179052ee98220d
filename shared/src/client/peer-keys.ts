import { sharedKey } from "../crypto/envelope";

/**
 * The devices this endpoint talks to, each with its pair key computed once
 * (`nacl.box.before`): boxing with a cached key is ~50x cheaper than without.
 * A device not in here is unknown or revoked, and its frames are dropped.
 */
export class PeerKeys {
  private readonly keys = new Map<string, Uint8Array>();

  constructor(private readonly myBoxSecretKey: Uint8Array) {}

  set(device: string, boxPublicKey: Uint8Array): void {
    this.keys.set(device, sharedKey(boxPublicKey, this.myBoxSecretKey));
  }

  delete(device: string): void {
    const key = this.keys.get(device);
    // The key is secret material; wipe it rather than wait for the collector.
    key?.fill(0);
    this.keys.delete(device);
  }

  get(device: string): Uint8Array | undefined {
    return this.keys.get(device);
  }

  has(device: string): boolean {
    return this.keys.has(device);
  }

  devices(): string[] {
    return [...this.keys.keys()];
  }
}
