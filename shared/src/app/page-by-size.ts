import { utf8Length } from "../encoding/bytes";
import { PROTOCOL_DEFAULTS } from "../protocol/defaults";

/**
 * What an rpc answer adds around its result inside the sealed envelope: the
 * version byte, nonce and MAC, the envelope's own fields (ids, devices,
 * time, type) and the call id. Generous on purpose.
 */
export const RPC_ANSWER_OVERHEAD_BYTES = 1024;

/** The most result bytes (UTF-8 JSON) that fit one sealed answer under a body limit. */
export function resultBudget(maxBodyBytes: number = PROTOCOL_DEFAULTS.maxBodyBytes): number {
  return maxBodyBytes - RPC_ANSWER_OVERHEAD_BYTES;
}

/** A page cut to fit: `more` when items were left out, `next` the cursor to continue from (pass it as `before`). */
export interface SizedPage<T> {
  items: T[];
  more?: true;
  next?: string;
}

/** Bytes of the result's other fields and brackets, beyond its list. */
const RESULT_FRAME_BYTES = 128;

/**
 * The longest prefix of `items` whose JSON fits `budget` bytes (docs/protocol.md
 * section 11, "Sizes and paging"). The first item is always kept: if even it
 * does not fit, the send path answers `too_large` instead.
 *
 * @example const page = pageBySize(messages, resultBudget()); return { messages: page.items, ...(page.more ? { more: true, next: page.next } : {}) };
 */
export function pageBySize<T extends { id: string }>(items: readonly T[], budget: number): SizedPage<T> {
  let used = RESULT_FRAME_BYTES;
  for (let i = 0; i < items.length; i++) {
    used += utf8Length(JSON.stringify(items[i])) + 1;
    if (used > budget && i > 0) return { items: items.slice(0, i), more: true, next: items[i - 1]!.id };
  }
  return { items: [...items] };
}
