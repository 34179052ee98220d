import { useEffect, useState } from "react";

/** How often live times (countdowns, durations of running tasks) redraw. */
export const LIVE_TICK_MS = 1000;

/** The current time, redrawn every LIVE_TICK_MS while `live`; frozen otherwise. */
export function useNow(live: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), LIVE_TICK_MS);
    return () => clearInterval(t);
  }, [live]);
  return now;
}
