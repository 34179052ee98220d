/** Table types of the relay database, as Kysely sees them (see migrations.ts). */
import type { Generated } from "kysely";

/** A qos 1 frame waiting for its recipient's ACK. `body` stays base64url text: the relay never decodes it. */
export interface FramesTable {
  seq: Generated<string | number | bigint>;
  recipient: string;
  sender: string;
  id: string;
  body: string;
  /** Decoded body size in bytes, counted against the recipient's limit. */
  size: number;
  /** Relay accept time, ms since the epoch. */
  ts: string | number | bigint;
  expires_at: string | number | bigint;
}

/** "granter accepts frames from grantee" (docs/protocol.md section 7). */
export interface GrantsTable {
  granter: string;
  grantee: string;
  created_at: string | number | bigint;
}

/** An open pairing rendezvous, in cluster mode (docs/protocol.md section 10). */
export interface RendezvousTable {
  rendezvous: string;
  opener: string;
  expires_at: string | number | bigint;
  requests: Generated<number>;
}

export interface RelayDatabase {
  frames: FramesTable;
  grants: GrantsTable;
  rendezvous: RendezvousTable;
}
