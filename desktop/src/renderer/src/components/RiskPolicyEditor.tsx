import { useState, type FormEvent } from "react";
import {
  policyToText,
  RISK_POLICY_LISTS,
  samePolicy,
  textToPolicy,
  type RiskPolicyText,
} from "@neural-link/shared/policy";
import type { DeviceInfo } from "../../../hub/api";
import { useDevices } from "../stores/devices-store";

const LIST_LABELS: Record<keyof RiskPolicyText, { title: string; hint: string }> = {
  allow: { title: "Run without asking", hint: "low risk" },
  high: { title: "Always ask first", hint: "high risk: waits for approval" },
  forbid: { title: "Never run", hint: "forbidden" },
};

/**
 * Edits a device's overrides of the built-in risk table (docs/risk-policy.md):
 * three lists of program names or command prefixes. The hub normalizes and
 * checks them; what it stored comes back in the device list, and the parent
 * remounts this editor (keyed by the policy) to show exactly that.
 */
export function RiskPolicyEditor({ device }: { device: DeviceInfo }) {
  const setPolicy = useDevices((s) => s.setPolicy);
  const [draft, setDraft] = useState(() => policyToText(device.policy));
  const [saving, setSaving] = useState(false);
  const id = device.id.slice(0, 8);
  const unchanged = samePolicy(draft, device.policy);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    void setPolicy(device.id, textToPolicy(draft)).finally(() => setSaving(false));
  };

  return (
    <form className="risk-policy" onSubmit={submit} aria-label={`Risk overrides for ${device.name}`}>
      <p className="muted">
        Commands from {device.name} are judged by the built-in risk rules. To change how a command is treated, put one
        program name or command prefix per line (<code>make</code>, <code>git push</code>); the longest matching line
        wins. Built-in forbidden rules (such as <code>rm -rf ~</code>) can’t be relaxed.
      </p>
      <div className="risk-lists">
        {RISK_POLICY_LISTS.map((k) => (
          <label key={k} htmlFor={`policy-${k}-${id}`}>
            <span>
              {LIST_LABELS[k].title} <span className="muted">({LIST_LABELS[k].hint})</span>
            </span>
            <textarea
              id={`policy-${k}-${id}`}
              rows={4}
              spellCheck={false}
              value={draft[k]}
              onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
            />
          </label>
        ))}
      </div>
      <div>
        <button type="submit" disabled={saving || unchanged}>
          Save risk overrides
        </button>{" "}
        <button type="button" disabled={saving || unchanged} onClick={() => setDraft(policyToText(device.policy))}>
          Discard changes
        </button>
      </div>
    </form>
  );
}
