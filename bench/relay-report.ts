/**
 * The table `npm run bench:relay` prints: each figure the median of `--runs`
 * runs, beside its baseline from the same runs, the ratio, and the target
 * where issue 12 sets one; then the machine's load, since the machine is shared.
 */
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";

/** A target on the ratio relay/baseline, or on the relay's figure alone. */
export type Target = { ratio: ">=" | "<="; value: number } | { figure: ">="; value: number };

export interface Row {
  name: string;
  relay: number;
  baseline: number | null;
  digits: number;
  target?: Target;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `--runs N` (or another flag's N) from argv (default `fallback`, at least `min`). */
export function runsArg(argv: readonly string[], fallback: number, flag = "--runs", min = 1): number {
  const i = argv.indexOf(flag);
  const n = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${flag} must be an integer of at least ${min}, got ${argv[i + 1]}`);
  return n;
}

const fmt = (n: number, digits: number) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function verdict(row: Row): [string, string] {
  const t = row.target;
  if (t === undefined) return ["", ""];
  if ("figure" in t) return [`≥ ${fmt(t.value, 0)}`, row.relay >= t.value ? "yes" : "NO"];
  const ratio = row.relay / row.baseline!;
  const ok = t.ratio === ">=" ? ratio >= t.value : ratio <= t.value;
  return [`${t.ratio === ">=" ? "≥" : "≤"} ${t.value}x`, ok ? "yes" : "NO"];
}

export function printTable(rows: readonly Row[], runs: number): void {
  const header = ["measure", "relay", "bare ws baseline", "relay/baseline", "target", "met"];
  const cells = rows.map((r) => {
    const [target, met] = verdict(r);
    return [
      r.name,
      fmt(r.relay, r.digits),
      r.baseline === null ? "" : fmt(r.baseline, r.digits),
      r.baseline === null ? "" : `${(r.relay / r.baseline).toFixed(2)}x`,
      target,
      met,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    `| ${c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join(" | ")} |`;
  console.log(`medians of ${runs} run${runs === 1 ? "" : "s"}`);
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
  for (const c of cells) console.log(line(c));
}

/** The load average, as `uptime` prints it (the machine is shared; figures depend on it). */
export function loadLine(): string {
  try {
    return execFileSync("uptime", { encoding: "utf8" }).trim();
  } catch {
    return `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}`;
  }
}
