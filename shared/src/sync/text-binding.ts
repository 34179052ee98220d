import type * as Y from "yjs";

/** The one contiguous change that turns `prev` into `next`. */
export interface TextChange {
  index: number;
  remove: number;
  insert: string;
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Finds the change between two versions of a plain-text editor's value by
 * trimming the common prefix and suffix. A textarea changes in one place per
 * input event (typing, paste, cut, IME commit), so this is exact for it and
 * O(length). Never splits a surrogate pair: Yjs indexes UTF-16 code units,
 * and half an emoji must not be deleted or inserted.
 *
 * @example diffText("hello", "help!") // { index: 3, remove: 2, insert: "p!" }
 */
export function diffText(prev: string, next: string): TextChange | null {
  if (prev === next) return null;
  const max = Math.min(prev.length, next.length);
  let start = 0;
  while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++;
  if (start > 0 && isHighSurrogate(prev.charCodeAt(start - 1))) start--;
  let end = 0;
  while (end < max - start && prev.charCodeAt(prev.length - 1 - end) === next.charCodeAt(next.length - 1 - end)) end++;
  if (end > 0 && isLowSurrogate(prev.charCodeAt(prev.length - end))) end--;
  return { index: start, remove: prev.length - start - end, insert: next.slice(start, next.length - end) };
}

/** Applies an editor's new value to `text` as one Yjs transaction of Y.Text ops. */
export function applyTextValue(text: Y.Text, next: string, origin: unknown): TextChange | null {
  const change = diffText(text.toString(), next);
  if (!change) return null;
  text.doc!.transact(() => {
    if (change.remove > 0) text.delete(change.index, change.remove);
    if (change.insert.length > 0) text.insert(change.index, change.insert);
  }, origin);
  return change;
}
