import type { DeviceInfo, RememberedApprovalInfo } from "../../../hub/api";
import { useRemembered } from "../stores/remembered-store";

/** "midnight" for the end of the day (the usual case), else the time. */
function untilText(at: number): string {
  const d = new Date(at);
  return d.getHours() === 0 && d.getMinutes() === 0
    ? "midnight"
    : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/**
 * The commands this device may run without asking until midnight ("Approve
 * for today"), each bound to its exact text, folder and environment; any
 * one, or all, can be forgotten at once.
 */
export function RememberedApprovals({ device, items }: { device: DeviceInfo; items: RememberedApprovalInfo[] }) {
  const forget = useRemembered((s) => s.forget);
  if (items.length === 0)
    return <p className="muted">Nothing approved for today: every high-risk command from {device.name} asks.</p>;
  return (
    <>
      <ul className="grants" aria-label={`Approved for today for ${device.name}`}>
        {items.map((a) => (
          <li key={a.digest}>
            <code>{a.command}</code>
            <span className="muted">
              {a.cwd ? `in ${a.cwd} · ` : ""}until {untilText(a.expiresAt)}
            </span>
            <button type="button" onClick={() => void forget(device.id, a.digest)} aria-label={`Forget ${a.command}`}>
              Forget
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => void forget(device.id)}>
        Forget all for {device.name}
      </button>
    </>
  );
}
