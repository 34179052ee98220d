import { z } from "zod";

export const MESSAGE_TEXT_MAX = 16_000;
export const CONVERSATION_ID_MAX = 64;

/** A chat message as it travels. */
export const messageSchema = z.object({
  id: z.string(),
  conversation: z.string(),
  sender: z.string(),
  ts: z.number().int(),
  text: z.string(),
  /**
   * The sender's display name as the hub knows it (the desktop's name, or a
   * paired device's), filled in by the hub; optional, so older hubs and clients
   * stay valid (docs/protocol.md section 11).
   */
  sender_name: z.string().max(128).optional(),
});
export type ChatMessage = z.infer<typeof messageSchema>;
