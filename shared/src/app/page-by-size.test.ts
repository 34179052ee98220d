import { describe, expect, it } from "vitest";
import { utf8Length } from "../encoding/bytes";
import { pageBySize, resultBudget } from "./page-by-size";

const item = (i: number, chars: number) => ({ id: `m${i}`, text: "é".repeat(chars) });

describe("pageBySize", () => {
  it("keeps a page that fits whole, without more/next", () => {
    const items = [item(1, 10), item(2, 10)];
    expect(pageBySize(items, resultBudget())).toEqual({ items });
  });

  it("cuts to the longest prefix that fits in UTF-8 bytes, with more and the cursor of the last item kept", () => {
    // 15,000 two-byte characters each: about 30 KB per item against a 512 KiB body.
    const items = Array.from({ length: 200 }, (_, i) => item(i, 15_000));
    const page = pageBySize(items, resultBudget());
    expect(page.more).toBe(true);
    expect(page.next).toBe(page.items[page.items.length - 1]!.id);
    expect(utf8Length(JSON.stringify({ messages: page.items, more: true, next: page.next }))).toBeLessThanOrEqual(
      resultBudget(),
    );
    const oneMore = items.slice(0, page.items.length + 1);
    expect(utf8Length(JSON.stringify({ messages: oneMore }))).toBeGreaterThan(resultBudget());
  });

  it("keeps the first item even alone over the budget (the send path then answers too_large)", () => {
    expect(pageBySize([item(1, 100), item(2, 1)], 50).items.map((i) => i.id)).toEqual(["m1"]);
  });
});
