import webpush from "web-push";
import { PUSH_KIND_CAP, type PushEvents, type PushKind, type PushSubscriptionJson } from "@neural-link/shared/app";
import type { Logger } from "pino";
import type { DeviceService } from "../devices/device-service";
import { HubError } from "../hub-error";
import type { HubLink } from "../link/hub-link";
import type { Store } from "../store";
import { type PushDeviceRecord, PushRepo, type VapidKeys } from "./push-repo";
import { type PushJob, PushSender } from "./push-sender";
import { endpointAllowed, type PushSettings } from "./push-settings";

/** A device's push state as the RPC methods and the desktop UI show it. */
export interface PushState {
  subscribed: boolean;
  events: PushEvents;
}

const ALL_ON: PushEvents = { approval: true, task: true, message: true };
const stateOf = (r: PushDeviceRecord | null): PushState => ({
  subscribed: r?.subscription != null,
  events: r?.events ?? { ...ALL_ON },
});

/**
 * Web Push on the hub (docs/hub.md, "Push notifications"): the VAPID key pair (made once,
 * kept in SQLite, never logged), each device's subscription and the kinds it wants, whether
 * its app is open and visible (then it gets no pushes: it shows the change itself), and the
 * sender. Who gets which push is PushNotifier's business.
 */
export class PushService {
  readonly repo: PushRepo;
  readonly sender: PushSender;
  private readonly visible = new Set<string>();
  private readonly hiddenListeners = new Set<(device: string) => void>();
  private keys: Promise<VapidKeys> | null = null;
  private readonly log: Logger;

  constructor(
    store: Store,
    private readonly devices: DeviceService,
    link: HubLink,
    readonly settings: PushSettings,
    log: Logger,
  ) {
    this.log = log.child({ mod: "hub/push" });
    this.repo = new PushRepo(store);
    this.sender = new PushSender({
      settings,
      vapid: () => this.vapid(),
      onGone: async (d, e) => void (await this.repo.dropEndpoint(d, e)),
      log,
    });
    // An app that lost its connection is not looking at anything, whatever it said last.
    link.on("presence", (p) => {
      if (!p.online) this.setVisible(p.device, false);
    });
  }

  /** The VAPID key pair: read from the store, or made (P-256, by web-push) and stored on first need. */
  vapid(): Promise<VapidKeys> {
    this.keys ??= (async () => {
      const stored = await this.repo.vapid();
      if (stored) return stored;
      const made = webpush.generateVAPIDKeys();
      this.log.info("VAPID key pair created");
      return this.repo.saveVapid({ publicKey: made.publicKey, privateKey: made.privateKey });
    })().catch((err: unknown) => {
      this.keys = null;
      throw err;
    });
    return this.keys;
  }

  async publicKey(): Promise<string> {
    return (await this.vapid()).publicKey;
  }

  async subscribe(
    device: string,
    subscription: PushSubscriptionJson,
    events?: Partial<PushEvents>,
  ): Promise<PushState> {
    if (!endpointAllowed(subscription.endpoint, this.settings.allowedHosts)) {
      throw new HubError(
        "bad_params",
        `this hub sends pushes only to known push services (${this.settings.allowedHosts.join(", ")}); ${hostOf(subscription.endpoint)} is not one`,
      );
    }
    return stateOf(await this.repo.upsert(device, { subscription, ...(events ? { events } : {}) }));
  }

  async unsubscribe(device: string): Promise<PushState> {
    return stateOf(await this.repo.upsert(device, { subscription: null }));
  }

  /** Reads, or changes some kinds of, a device's settings (the phone's and the desktop UI's). */
  async settingsOf(device: string, events?: Partial<PushEvents>): Promise<PushState> {
    if (!events || Object.keys(events).length === 0) return stateOf(await this.repo.get(device));
    return stateOf(await this.repo.upsert(device, { events }));
  }

  setVisible(device: string, visible: boolean): void {
    if (visible) this.visible.add(device);
    else if (this.visible.delete(device)) for (const l of this.hiddenListeners) l(device);
  }

  /**
   * Called when a device's app stops being visible (hidden, closed, or offline): what it was shown may now need a push.
   */
  onHidden(listener: (device: string) => void): () => void {
    this.hiddenListeners.add(listener);
    return () => this.hiddenListeners.delete(listener);
  }

  isVisible(device: string): boolean {
    return this.visible.has(device);
  }

  /**
   * Where a push of `kind` for `device` goes, or null: no subscription, the kind turned off,
   * the capability missing, or the app open and visible. `kind` null (a follow-up that
   * replaces an earlier notification) needs only the subscription.
   */
  async target(device: string, kind: PushKind | null): Promise<PushJob["subscription"] | null> {
    const row = await this.repo.get(device);
    if (!row?.subscription) return null;
    if (kind === null) return row.subscription;
    if (!row.events[kind] || this.visible.has(device)) return null;
    if (!(await this.devices.capsOf(device)).includes(PUSH_KIND_CAP[kind])) return null;
    return row.subscription;
  }

  /** A revoked device: its subscription and settings go. */
  async forget(device: string): Promise<void> {
    this.visible.delete(device);
    await this.repo.remove(device);
  }
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return "this address";
  }
}
