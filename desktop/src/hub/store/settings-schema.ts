import type { RiskPolicy } from "./types";

/** Who must approve a high-risk task (the task service interprets it). */
export type ApprovalsMode = "both" | "phone" | "desktop";
export const APPROVALS_MODES: readonly ApprovalsMode[] = ["both", "phone", "desktop"];

/** Every hub setting, by key. Add a key here and in SETTING_SPECS. */
export interface Settings {
  /** The name shown to phones; null until first-run setup. */
  hubName: string | null;
  /** The relay's WebSocket URL; null means the embedded relay. */
  relayUrl: string | null;
  approvals: ApprovalsMode;
  /** Policy overrides applied to devices that have none of their own. */
  defaultRiskPolicy: RiskPolicy;
  /**
   * The relay id each relay URL said at its first READY (trust on first use):
   * a later HELLO naming another id is refused before signing (docs/protocol.md section 4).
   */
  trustedRelayIds: Record<string, string>;
  /** Where files sent from phones land (docs/hub.md, "Files"); null: `~/Downloads/Neural Link`. */
  fileLandingDir: string | null;
  /** Largest file a phone may send or fetch, bytes (default 2 GiB). */
  fileMaxBytes: number;
}

export type SettingKey = keyof Settings;

interface SettingSpec<T> {
  default: T;
  /** Returns the value, or an error text when it does not fit. */
  check(raw: unknown): { ok: true; value: T } | { ok: false; error: string };
}

/** Longest hub name: the identity card allows 64 characters (docs/protocol.md section 9). */
const MAX_NAME = 64;

const ok = <T>(value: T) => ({ ok: true as const, value });
const fail = (error: string) => ({ ok: false as const, error });

function checkStringList(raw: unknown): raw is string[] {
  return Array.isArray(raw) && raw.every((s) => typeof s === "string" && s.length > 0);
}

/** Validates a risk policy object: three optional lists of non-empty strings, nothing else. */
export function checkRiskPolicy(raw: unknown): { ok: true; value: RiskPolicy } | { ok: false; error: string } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return fail("must be an object");
  const out: RiskPolicy = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k !== "allow" && k !== "high" && k !== "forbid") return fail(`unknown key ${JSON.stringify(k)}`);
    if (!checkStringList(v)) return fail(`${k} must be a list of non-empty strings`);
    out[k] = v;
  }
  return ok(out);
}

export const SETTING_SPECS: { [K in SettingKey]: SettingSpec<Settings[K]> } = {
  hubName: {
    default: null,
    check: (raw) =>
      raw === null || (typeof raw === "string" && raw.trim().length > 0 && raw.length <= MAX_NAME)
        ? ok(raw)
        : fail(`must be null or a non-empty name of at most ${MAX_NAME} characters`),
  },
  relayUrl: {
    default: null,
    check: (raw) => {
      if (raw === null) return ok(null);
      if (typeof raw !== "string" || !URL.canParse(raw)) return fail("must be null or a URL");
      const protocol = new URL(raw).protocol;
      return protocol === "ws:" || protocol === "wss:" ? ok(raw) : fail("must be a ws: or wss: URL");
    },
  },
  approvals: {
    default: "both",
    check: (raw) =>
      APPROVALS_MODES.includes(raw as ApprovalsMode)
        ? ok(raw as ApprovalsMode)
        : fail(`must be one of ${APPROVALS_MODES.join(", ")}`),
  },
  defaultRiskPolicy: { default: {}, check: checkRiskPolicy },
  trustedRelayIds: {
    default: {},
    check: (raw) =>
      typeof raw === "object" &&
      raw !== null &&
      !Array.isArray(raw) &&
      Object.values(raw).every((v) => typeof v === "string" && v.length > 0)
        ? ok({ ...(raw as Record<string, string>) })
        : fail("must be an object of relay URL to relay id"),
  },
  fileLandingDir: {
    default: null,
    check: (raw) =>
      raw === null || (typeof raw === "string" && raw.startsWith("/") && raw.length <= 4096)
        ? ok(raw)
        : fail("must be null or an absolute folder path"),
  },
  fileMaxBytes: {
    default: 2 * 1024 ** 3,
    check: (raw) =>
      typeof raw === "number" && Number.isSafeInteger(raw) && raw >= 1
        ? ok(raw)
        : fail("must be a whole number of bytes, at least 1"),
  },
};
