import { classify } from "./classify";
import type { Risk, RiskPolicy } from "./types";

/**
 * What the hub does with a classified command (docs/risk-policy.md, "What runs
 * where"): `refused` never runs; `asks` waits for approval; `runs-now` runs at
 * once with the user's rights (the desktop's own low commands); `sandbox` runs
 * at once inside the OS sandbox (a device's low commands, when there is one).
 */
export type Outcome = "refused" | "asks" | "runs-now" | "sandbox";

/** The outcome in words, as both UIs show it under the command being typed. */
export const OUTCOME_WORDS: Readonly<Record<Outcome, string>> = Object.freeze({
  refused: "forbidden: it will never run",
  asks: "will ask for approval",
  "runs-now": "runs at once",
  sandbox: "runs in the sandbox",
});

/**
 * The one decision table, shared by the hub (tasks/admission.ts) and the
 * previews: a low command asks like a high one when it comes from a device and
 * the desktop has no working sandbox.
 */
export function outcomeOf(risk: Risk, fromDesktop: boolean, sandboxAvailable: boolean): Outcome {
  switch (risk) {
    case "forbidden":
      return "refused";
    case "high":
      return "asks";
    case "low":
      if (fromDesktop) return "runs-now";
      return sandboxAvailable ? "sandbox" : "asks";
    default: {
      const never: never = risk;
      throw new Error(`unknown risk ${String(never)}`);
    }
  }
}

/** Defaults of a preview, for what a UI cannot know about the desktop. */
export const PREVIEW_DEFAULTS = Object.freeze({
  /**
   * The home directory a preview assumes: the UIs do not know the desktop's.
   * `~`, `$HOME` and relative paths are judged exactly as on the hub; only an
   * absolute path spelled out to the real home can be judged less strictly here
   * (the hub's own verdict, shown on the task, is the one that counts).
   */
  home: "/home/user",
});

export interface PreviewContext {
  /** True for the desktop's own task input (its low commands run with full rights). */
  fromDesktop: boolean;
  /**
   * The hub's sandbox, when known (`hub.info`, `getStatus`); unknown counts as none, so a preview never promises too
   * much.
   */
  sandbox: { available: boolean } | null | undefined;
  /** The folder the command starts in; empty or absent: the desktop's default (home). */
  cwd?: string | null;
  /** The requester's overrides, when the UI knows them. */
  policy?: RiskPolicy;
  home?: string;
}

export interface Preview {
  outcome: Outcome;
  risk: Risk;
  /** `OUTCOME_WORDS[outcome]`. */
  words: string;
  /** Why, in the classifier's words (plus why a low command would still ask). */
  reasons: string[];
}

/**
 * The risk of a command while it is typed, exactly as the hub's classifier
 * judges it; null for a blank line.
 *
 * @example previewCommand("rm -rf ~", { fromDesktop: false, sandbox: { available: true } })
 * // { outcome: "refused", risk: "forbidden", words: "forbidden: it will never run", reasons: ["rm -r on ~ wipes ..."]
 * }
 */
export function previewCommand(command: string, ctx: PreviewContext): Preview | null {
  if (command.trim() === "") return null;
  const home = ctx.home ?? PREVIEW_DEFAULTS.home;
  const cwd = ctx.cwd?.trim() ? ctx.cwd.trim() : home;
  const { risk, reasons } = classify(command, { home, cwd, policy: ctx.policy });
  const available = ctx.sandbox?.available === true;
  const outcome = outcomeOf(risk, ctx.fromDesktop, available);
  const why =
    outcome === "asks" && risk === "low"
      ? [ctx.sandbox ? "no sandbox on the desktop, so every command asks" : "the desktop's sandbox is not known yet"]
      : [];
  return { outcome, risk, words: OUTCOME_WORDS[outcome], reasons: [...why, ...reasons] };
}
