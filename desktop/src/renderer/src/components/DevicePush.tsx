import { useEffect, useState } from "react";
import type { DeviceInfo, PushSettingsInfo } from "../../../hub/api";
import { hub } from "../hub-ref";
import { report } from "../stores/ui-store";

const KINDS: { kind: keyof PushSettingsInfo["events"]; label: string }[] = [
  { kind: "approval", label: "A command waits for its approval" },
  { kind: "task", label: "One of its tasks finished or failed" },
  { kind: "message", label: "A new message" },
];

/**
 * A device's notifications (docs/hub.md, "Push notifications"): whether its phone turned
 * them on, and which kinds this hub sends it. The phone shows and edits the same switches.
 * A kind needs its capability too (approvals need "Approve", tasks "Tasks", messages "Chat").
 */
export function DevicePush({ device }: { device: DeviceInfo }) {
  const [state, setState] = useState<PushSettingsInfo | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    hub()
      .getPushSettings({ device: device.id })
      .then((s) => live && setState(s))
      .catch(report);
    return () => {
      live = false;
    };
  }, [device.id]);
  const toggle = async (kind: keyof PushSettingsInfo["events"], on: boolean) => {
    setBusy(true);
    try {
      setState(await hub().setPushSettings({ device: device.id, events: { [kind]: on } }));
    } catch (err) {
      report(err);
    } finally {
      setBusy(false);
    }
  };
  if (!state) return <p className="muted">Loading…</p>;
  return (
    <section className="device-push" aria-label={`Notifications for ${device.name}`}>
      <p className="muted" data-testid="push-status">
        {state.subscribed
          ? `${device.name} has notifications turned on.`
          : `${device.name} has not turned notifications on (the phone does, in its Desktops screen).`}
      </p>
      <fieldset disabled={busy}>
        <legend className="sr-only">Notify {device.name} when</legend>
        {KINDS.map(({ kind, label }) => (
          <label key={kind}>
            <input type="checkbox" checked={state.events[kind]} onChange={(e) => void toggle(kind, e.target.checked)} />{" "}
            {label}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
