import { browserPushPlatform } from "./push-platform";
import { createPushStore } from "./push-store";

/** The app's one Notifications settings store, over the browser's Push API (one subscription per service worker). */
export const pushSettings = createPushStore(browserPushPlatform());
