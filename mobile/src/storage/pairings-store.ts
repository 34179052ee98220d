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
  /** Set once the desktop has removed this phone (`device.revoked`), so a reload still says so; pairing again clears it. */
  revoked: z.boolean().optional(),
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

/** Adds or replaces (same desktop paired again) a pairing. */
export async function savePairing(kv: KeyValue, pairing: Pairing): Promise<Pairing[]> {
  const next = [...(await listPairings(kv)).filter((p) => p.device !== pairing.device), pairingSchema.parse(pairing)];
  await kv.set(PAIRINGS_KEY, next);
  return next;
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
