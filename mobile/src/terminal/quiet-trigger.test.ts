import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { QuietTrigger } from "./quiet-trigger";

describe("QuietTrigger", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("fires once after a pause, at least every busyMs during a steady stream, never when nothing happens", () => {
    let fired = 0;
    const t = new QuietTrigger(300, 2000, () => fired++);
    vi.advanceTimersByTime(10_000);
    expect(fired).toBe(0); // idle: no refetch at all
    t.poke();
    vi.advanceTimersByTime(200);
    t.poke(); // the pause starts again
    vi.advanceTimersByTime(250);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(50);
    expect(fired).toBe(1);
    // A flood: a poke every 100 ms for 5 s fires every 2 s, not never.
    for (let i = 0; i < 50; i++) {
      t.poke();
      vi.advanceTimersByTime(100);
    }
    expect(fired).toBe(3);
    vi.advanceTimersByTime(300);
    expect(fired).toBe(4); // and once more when it stops
    t.poke();
    t.dispose();
    vi.advanceTimersByTime(5000);
    expect(fired).toBe(4);
  });
});
