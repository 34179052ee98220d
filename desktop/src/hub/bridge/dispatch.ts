import type { Logger } from "pino";
import { isHubMethod, type CallOutcome, type HubApi } from "../api";
import { errorCodeOf } from "./call-error";
import { PARAM_SCHEMAS } from "./params-schemas";

/**
 * Runs one call from a transport (Electron IPC or the web-mode bridge) on the
 * hub: refuses names outside the HubApi whitelist, validates params, and turns
 * every failure into a `CallOutcome` so neither transport ever throws across.
 *
 * @example
 *   const out = await dispatchCall(hub, "renameDevice", { device, name: "Pixel" }, log);
 *   if (!out.ok) showError(out.message);
 */
export async function dispatchCall(api: HubApi, method: unknown, params: unknown, log: Logger): Promise<CallOutcome> {
  if (!isHubMethod(method)) {
    return {
      ok: false,
      code: "unknown_method",
      message: `unknown method ${JSON.stringify(String(method)).slice(0, 80)}`,
    };
  }
  const parsed = PARAM_SCHEMAS[method].safeParse(params);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join(".")}: ` : "";
    return { ok: false, code: "bad_params", message: `${method}: ${where}${first?.message ?? "invalid params"}` };
  }
  try {
    // The whitelist and the schema table are both keyed by HubMethod, so the
    // params now have the shape this method declares.
    const fn = api[method] as (p?: unknown) => Promise<unknown>;
    const result = await fn.call(api, parsed.data);
    return { ok: true, result: result ?? null };
  } catch (err) {
    const code = errorCodeOf(err);
    if (code === "internal") log.error({ method, err }, "hub call failed");
    const message = err instanceof Error ? err.message : "call failed";
    return { ok: false, code, message };
  }
}
