import { z } from "zod";
import { CAPABILITIES } from "@neural-link/shared/app";
import { deviceIdSchema } from "@neural-link/shared/protocol";
import { b64uBytes } from "@neural-link/shared/protocol";
import { StorageError } from "./errors";
import type { KeyValue } from "./kv";

export const PAIRINGS_KEY = "pairings/v1";
export const SELECTED_KEY = "selected/v1";

/** A desktop this phone has paired with: everything needed to reach it again. */
export const pairingSchema = z.object({
  device: deviceIdSchema,
  box: b64uBytes(32),
  name: z.string().min(1).max(64),
  relay: z.string().min(1),
  caps: z.array(z.enum(CAPABILITIES)),
  pairedAt: z.number().int(),
  /**
   * Set once the desktop has removed this phone (`device.revoked`), so a reload still says so; pairing again clears it.
   */
  revoked: z.boolean().optional(),
  /**
   * The relay id the relay named at the first READY after pairing (trust on
   * first use); a later HELLO naming another is refused before signing
   * (docs/protocol.md section 4). Pairing again starts fresh.
   */
  relayId: z.string().min(1).optional(),
});
export type Pairing = z.infer<typeof pairingSchema>;

const listSchema = z.array(pairingSchema);

/** Pairings live under one key so that saving them is a single atomic write. */
export async function listPairings(kv: KeyValue): Promise<Pairing[]> {
  const raw = await kv.get<unknown>(PAIRINGS_KEY);
  if (raw === undefined) return [];
  const parsed = listSchema.safeParse(raw);
  if (!parsed.success) throw new StorageError("the stored list of paired desktops is unreadable");
  return parsed.data;
}

/**
 * Adds or replaces (same desktop paired again) a pairing. An update of the
 * same pairing (same `pairedAt` and relay) keeps the relay id trusted for it;
 * a new pairing does not.
 */
export async function savePairing(kv: KeyValue, pairing: Pairing): Promise<Pairing[]> {
  const list = await listPairings(kv);
  const prev = list.find((p) => p.device === pairing.device);
  const keep =
    pairing.relayId === undefined &&
    prev?.relayId !== undefined &&
    prev.pairedAt === pairing.pairedAt &&
    prev.relay === pairing.relay;
  const saved = pairingSchema.parse(keep ? { ...pairing, relayId: prev.relayId } : pairing);
  const next = [...list.filter((p) => p.device !== pairing.device), saved];
  await kv.set(PAIRINGS_KEY, next);
  return next;
}

/** Trust on first use: stores the relay id of a pairing that has none yet; one that has one stays. */
export async function trustRelayId(kv: KeyValue, device: string, relayId: string): Promise<Pairing[]> {
  const list = await listPairings(kv);
  const pairing = list.find((p) => p.device === device);
  if (!pairing || pairing.relayId !== undefined) return list;
  return savePairing(kv, { ...pairing, relayId });
}

export async function removePairing(kv: KeyValue, device: string): Promise<Pairing[]> {
  const next = (await listPairings(kv)).filter((p) => p.device !== device);
  await kv.set(PAIRINGS_KEY, next);
  if ((await kv.get<string>(SELECTED_KEY)) === device) await kv.del(SELECTED_KEY);
  return next;
}

export async function getSelected(kv: KeyValue): Promise<string | undefined> {
  return kv.get<string>(SELECTED_KEY);
}

export async function setSelected(kv: KeyValue, device: string): Promise<void> {
  await kv.set(SELECTED_KEY, device);
}
