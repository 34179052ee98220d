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
});
export type ChatMessage = z.infer<typeof messageSchema>;
