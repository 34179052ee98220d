/**
 * The table `npm run bench:relay` prints: each figure the median of its
 * runs with the spread (lowest–highest) beside it, its baseline from the same
 * runs, the ratio and the target where issue 12 sets one; then the machine's
 * load, since the machine is shared. The ratio is the median of the per-run
 * ratios (run i measured the relay and the baseline back to back), which a
 * change of load between runs moves less than a ratio of two medians would.
 */
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";

/** A target on the ratio relay/baseline, or on the relay's figure alone. */
export type Target = { ratio: ">=" | "<="; value: number } | { figure: ">="; value: number };

export interface Row {
  name: string;
  /** One figure per run. */
  relay: readonly number[];
  /** The baseline's figure of the same runs (paired with `relay` by index), or null. */
  baseline: readonly number[] | null;
  digits: number;
  target?: Target;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Relay/baseline of each run. */
export function ratios(row: Row): number[] {
  return row.relay.map((r, i) => r / row.baseline![i]!);
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

/** The median, and the lowest–highest of several runs in brackets. */
function cell(values: readonly number[], digits: number, suffix = ""): string {
  const f = (n: number) => `${fmt(n, digits)}${suffix}`;
  if (values.length === 1) return f(values[0]!);
  return `${f(median(values))} [${f(Math.min(...values))}–${f(Math.max(...values))}]`;
}

function verdict(row: Row): [string, string] {
  const t = row.target;
  if (t === undefined) return ["", ""];
  if ("figure" in t) return [`≥ ${fmt(t.value, 0)}`, median(row.relay) >= t.value ? "yes" : "NO"];
  const ratio = median(ratios(row));
  const ok = t.ratio === ">=" ? ratio >= t.value : ratio <= t.value;
  return [`${t.ratio === ">=" ? "≥" : "≤"} ${t.value}x`, ok ? "yes" : "NO"];
}

export function printTable(rows: readonly Row[], runs: number): void {
  const header = ["measure", "relay", "bare ws baseline", "relay/baseline", "target", "met"];
  const cells = rows.map((r) => {
    const [target, met] = verdict(r);
    return [
      r.name,
      cell(r.relay, r.digits),
      r.baseline === null ? "" : cell(r.baseline, r.digits),
      r.baseline === null ? "" : cell(ratios(r), 2, "x"),
      target,
      met,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    `| ${c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join(" | ")} |`;
  console.log(
    `medians of ${runs} run${runs === 1 ? "" : "s"} [lowest–highest]; relay/baseline: median of the per-run ratios`,
  );
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
