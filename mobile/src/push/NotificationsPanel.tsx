import { useEffect } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import { PUSH_KINDS, type PushKind } from "@neural-link/shared/app";
import type { Session } from "../stores/session";
import { useLink } from "../ui/use-link";
import { pushUnsupportedReason } from "./push-platform";
import type { PushSettingsState } from "./push-store";

const KIND_LABELS: Record<PushKind, string> = {
  approval: "A command waits for my approval",
  task: "A task finished or failed",
  message: "A new message",
};

/**
 * Notifications from the desktop in use (docs/mobile.md, "Notifications"): turn them on
 * (the browser asks for permission on this tap), choose the kinds, turn them off.
 */
export function NotificationsPanel({ session, push }: { session: Session; push: StoreApi<PushSettingsState> }) {
  const state = useStore(push);
  const { blocker } = useLink(session);
  const hub = session.pairing.device;
  const online = blocker === null;
  useEffect(() => {
    if (online) void push.getState().load(hub, session.link);
  }, [hub, online, push, session.link]);
  const unsupported = pushUnsupportedReason();
  const mine = state.hub === hub;
  const on = mine && state.subscribed && state.ours;
  const disabled = state.busy || !online;
  return (
    <section className="panel notifications" aria-labelledby="notifications-title" data-testid="notifications">
      <h2 id="notifications-title">Notifications from {session.pairing.name}</h2>
      {unsupported ? (
        <p className="muted">{unsupported}</p>
      ) : (
        <>
          <p className="muted" data-testid="notifications-status">
            {on
              ? "On: this phone is told when something waits for you, even with the app closed."
              : mine && state.subscribed
                ? "Another desktop now sends this phone its notifications: turn them on here to switch."
                : "Off."}
          </p>
          <div className="row">
            {on ? (
              <button type="button" disabled={disabled} onClick={() => void push.getState().disable(session.link)}>
                Turn off notifications
              </button>
            ) : (
              <button
                type="button"
                className="approve"
                disabled={disabled || state.permission === "denied"}
                onClick={() => void push.getState().enable(hub, session.link)}
              >
                Turn on notifications
              </button>
            )}
          </div>
          <fieldset className="notification-kinds" disabled={disabled || !mine}>
            <legend>Tell me when</legend>
            {PUSH_KINDS.map((kind) => (
              <label key={kind} className="notification-kind">
                <input
                  type="checkbox"
                  checked={state.events[kind]}
                  onChange={(e) => void push.getState().toggle(session.link, kind, e.target.checked)}
                />
                {KIND_LABELS[kind]}
              </label>
            ))}
          </fieldset>
          {state.permission === "denied" && (
            <p className="error">Notifications are blocked for this app. Allow them in the browser's site settings.</p>
          )}
          {state.error && (
            <p role="alert" className="error">
              {state.error}
            </p>
          )}
          {blocker && <p className="muted blocker">{blocker}</p>}
        </>
      )}
    </section>
  );
}
