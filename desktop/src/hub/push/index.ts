/** Web Push on the hub (docs/hub.md, "Push notifications"). */
export { PushService, type PushState } from "./push-service";
export { PushNotifier } from "./push-notifier";
export { pushHandlers, type PushHandlers, PUSH_METHODS } from "./push-handlers";
export { PUSH_DEFAULTS, type PushSettings } from "./push-settings";
