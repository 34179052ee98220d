import { useStore } from "zustand";
import { useAppStores } from "../ui/app-context";
import { NotificationsPanel } from "./NotificationsPanel";
import { pushSettings } from "./push-singleton";

/** The Notifications section of the Desktops screen, for the desktop in use. */
export function DesktopNotifications() {
  const session = useStore(useAppStores().app, (s) => s.session);
  return session ? <NotificationsPanel session={session} push={pushSettings} /> : null;
}
