import { useEffect, useState } from "react";
import { useStore } from "zustand";
import { createStore } from "zustand/vanilla";
import type { LinkStatus } from "../connection/hub-link";
import { whyCannotCall } from "../connection/link-words";
import type { Session } from "../stores/session";
import { MOBILE_SETTINGS } from "../settings";

/** Stands in for a session's flag when there is no session, so the hook is always called. */
const NOT_REVOKED = createStore(() => ({ revoked: false }));

/** The session's link status and revocation, live, and why calls cannot be made now (null when they can). */
export function useLink(session: Session | null): {
  status: LinkStatus | null;
  revoked: boolean;
  blocker: string | null;
} {
  const [status, setStatus] = useState<LinkStatus | null>(() => session?.link.status() ?? null);
  useEffect(() => {
    if (!session) return setStatus(null);
    setStatus(session.link.status());
    return session.link.onStatus(setStatus);
  }, [session]);
  const revoked = useStore(session?.revoked ?? NOT_REVOKED, (s) => s.revoked);
  return { status, revoked, blocker: whyCannotCall(status, revoked) };
}

/** The current time, redrawn every `clockTickMs` while `active`: for live countdowns and durations. */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), MOBILE_SETTINGS.clockTickMs);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}
