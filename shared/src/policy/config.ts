import type { Risk, RiskPolicy } from "./types";

/**
 * A device's policy overrides, compiled for matching. Each entry is a program name or
 * a command prefix ("git push"); it matches a command whose leading words (after
 * wrappers and `NAME=value` assignments are peeled off, with the program's directory
 * dropped) equal the entry's words. The longest matching entry wins; on a tie the
 * stricter class wins. Overrides never relax a built-in "forbidden" verdict.
 */

/** Limits on a policy document, so a device cannot store an unbounded one. */
export const POLICY_LIMITS = Object.freeze({
  /** Most entries in each of allow / high / forbid. */
  maxEntries: 200,
  /** Longest entry, in characters. */
  maxEntryLength: 200,
});

export class PolicyConfigError extends Error {
  override readonly name = "PolicyConfigError";
}

interface Entry {
  words: string[];
  risk: Risk;
  text: string;
}

export interface PolicyMatch {
  risk: Risk;
  entry: string;
}

export class CompiledPolicy {
  private constructor(private readonly entries: readonly Entry[]) {}

  static readonly EMPTY = new CompiledPolicy([]);

  /**
   * Validates and compiles a policy document.
   * @example CompiledPolicy.from({ allow: ["make"], high: ["git push"] })
   */
  static from(policy: RiskPolicy | undefined): CompiledPolicy {
    if (policy === undefined) return CompiledPolicy.EMPTY;
    const entries: Entry[] = [];
    const lists: [keyof RiskPolicy, Risk][] = [
      ["allow", "low"],
      ["high", "high"],
      ["forbid", "forbidden"],
    ];
    for (const [key, risk] of lists) {
      const list: unknown = policy[key];
      if (list === undefined) continue;
      if (!Array.isArray(list)) throw new PolicyConfigError(`policy.${key} must be a list of strings`);
      if (list.length > POLICY_LIMITS.maxEntries)
        throw new PolicyConfigError(`policy.${key} has more than ${POLICY_LIMITS.maxEntries} entries`);
      for (const item of list as unknown[]) {
        if (typeof item !== "string") throw new PolicyConfigError(`policy.${key} must contain only strings`);
        const words = item.trim().split(/\s+/).filter(Boolean);
        if (words.length === 0) throw new PolicyConfigError(`policy.${key} has an empty entry`);
        if (item.length > POLICY_LIMITS.maxEntryLength)
          throw new PolicyConfigError(
            `policy.${key} has an entry longer than ${POLICY_LIMITS.maxEntryLength} characters`,
          );
        entries.push({ words, risk, text: words.join(" ") });
      }
    }
    return new CompiledPolicy(entries);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The override for a command's words, if any entry matches. */
  match(argv: readonly string[]): PolicyMatch | null {
    let best: Entry | null = null;
    for (const e of this.entries) {
      if (e.words.length > argv.length || !e.words.every((w, i) => w === argv[i])) continue;
      const rank = { low: 0, high: 1, forbidden: 2 };
      if (
        !best ||
        e.words.length > best.words.length ||
        (e.words.length === best.words.length && rank[e.risk] > rank[best.risk])
      )
        best = e;
    }
    return best ? { risk: best.risk, entry: best.text } : null;
  }
}
