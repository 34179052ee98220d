/**
 * Reconnect delay with exponential backoff and full jitter: a uniform pick in
 * [0, min(max, base * 2^attempt)). Full jitter spreads a crowd of clients that
 * lost the same relay at once, so they do not all come back in the same tick.
 *
 * @example backoffDelay(3, 500, 30_000, Math.random) // somewhere in [0, 4000)
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
