import { useEffect, useState } from "react";
import { CAPABILITIES } from "@neural-link/shared/app";
import type { Capability, DeviceInfo } from "../../../hub/api";
import { overrideCount } from "@neural-link/shared/policy";
import { useDevices } from "../stores/devices-store";
import { useGrants } from "../stores/grants-store";
import { useRemembered } from "../stores/remembered-store";
import { ConfirmDialog } from "./ConfirmDialog";
import { DevicePush } from "./DevicePush";
import { RiskPolicyEditor } from "./RiskPolicyEditor";
import { RememberedApprovals } from "./RememberedApprovals";
import { WorkspaceGrants } from "./WorkspaceGrants";

/** Labels of the wire capabilities (shared/app); the Record type refuses a missing one. */
const CAP_LABELS: Record<Capability, string> = {
  chat: "Messages",
  tasks: "Run commands",
  approve: "Approve high-risk tasks",
  terminal: "Terminals",
  doc: "Shared notes",
};

/** One paired device: online state, rename, capability toggles, risk overrides, writable folders, revoke. */
export function DeviceRow({ device }: { device: DeviceInfo }) {
  const { rename, revoke, setCaps } = useDevices();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(device.name);
  const [confirming, setConfirming] = useState(false);
  const id = device.id.slice(0, 8);
  const grantCount = useGrants((s) => s.byDevice[device.id]?.length ?? 0);
  const allRemembered = useRemembered((s) => s.list);
  const remembered = allRemembered.filter((a) => a.device === device.id);
  useEffect(() => {
    void useGrants.getState().load(device.id);
  }, [device.id]);

  const toggle = (cap: Capability, on: boolean) => {
    const caps = on ? [...device.caps, cap] : device.caps.filter((c) => c !== cap);
    void setCaps(
      device.id,
      CAPABILITIES.filter((c) => caps.includes(c)),
    );
  };

  return (
    <li className="device" aria-label={device.name}>
      <div className="device-head">
        <span className={device.online ? "dot online" : "dot"} aria-hidden="true" />
        {editing ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void rename(device.id, name.trim()).then(() => setEditing(false));
            }}
          >
            <label htmlFor={`rename-${id}`} className="sr-only">
              New name for {device.name}
            </label>
            <input
              id={`rename-${id}`}
              value={name}
              maxLength={64}
              required
              onChange={(e) => setName(e.target.value)}
              autoFocus
            />
            <button type="submit">Save</button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </form>
        ) : (
          <>
            <strong>{device.name}</strong>
            <span className="muted">
              {device.kind} ·{" "}
              {device.online
                ? "online"
                : device.lastSeen
                  ? `last seen ${new Date(device.lastSeen).toLocaleString()}`
                  : "offline"}
            </span>
            <button type="button" onClick={() => setEditing(true)} aria-label={`Rename ${device.name}`}>
              Rename
            </button>
          </>
        )}
        <button
          type="button"
          className="danger"
          onClick={() => setConfirming(true)}
          aria-label={`Revoke ${device.name}`}
        >
          Revoke
        </button>
      </div>
      <fieldset className="caps">
        <legend>What {device.name} may do</legend>
        {CAPABILITIES.map((cap) => (
          <label key={cap}>
            <input
              type="checkbox"
              checked={device.caps.includes(cap)}
              onChange={(e) => toggle(cap, e.target.checked)}
              {...(cap === "terminal" ? { "aria-describedby": `term-warn-${id}` } : {})}
            />{" "}
            {CAP_LABELS[cap]}
          </label>
        ))}
        <p className="warn cap-warning" id={`term-warn-${id}`}>
          A terminal gives full access to this desktop: the risk policy and the sandbox do not apply to what is typed in
          it. Each new terminal still asks for approval.
        </p>
      </fieldset>
      <details>
        <summary>Writable folders ({grantCount === 0 ? "none" : grantCount})</summary>
        <WorkspaceGrants device={device} />
      </details>
      <details>
        <summary>Approved for today ({remembered.length === 0 ? "none" : remembered.length})</summary>
        <RememberedApprovals device={device} items={remembered} />
      </details>
      <details>
        <summary>Notifications</summary>
        <DevicePush device={device} />
      </details>
      <details>
        <summary>Risk overrides ({overrideCount(device.policy) === 0 ? "none" : overrideCount(device.policy)})</summary>
        <RiskPolicyEditor key={JSON.stringify(device.policy)} device={device} />
      </details>
      {confirming && (
        <ConfirmDialog
          title={`Revoke ${device.name}?`}
          text="It will no longer reach this hub, and anything it queued is deleted. Pair it again to undo."
          confirmLabel="Revoke"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void revoke(device.id);
          }}
        />
      )}
    </li>
  );
}
