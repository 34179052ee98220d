import { Emitter } from "@neural-link/shared/client";
import type { HubEvents } from "./api";

/**
 * Questions the hub asks the person at the desktop. The UI (or the headless
 * CLI) answers them through `answerPairing` / `approveTask`; both are also
 * HubApi events (`pairing.request`, `approval.request`), gathered here so
 * a host can serve them one at a time.
 */
export type HubQuestion =
  | { kind: "pairing"; requestId: string; deviceName: string; sas: string; expiresAt: number }
  | { kind: "approval"; task: string; command: string; requester: string; reasons: string[] };

/** Every event the hub core emits: the HubApi events plus the questions. */
export interface HubNodeEvents extends HubEvents {
  question: HubQuestion;
}

export class HubEmitter extends Emitter<HubNodeEvents> {}
