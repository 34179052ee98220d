import webpush from "web-push";
import type { Logger } from "pino";
import type { VapidKeys } from "./push-repo";
import type { PushSettings } from "./push-settings";

/** One push to send: where, the plaintext, and the RFC 8030 headers. */
export interface PushJob {
  device: string;
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  /** JSON text, encrypted by web-push (RFC 8291, aes128gcm) to the subscription's keys. */
  payload: string;
  ttlS: number;
  urgency: "low" | "normal" | "high";
  /** RFC 8030 Topic: a later push with the same topic replaces one the push service still holds. */
  topic: string;
}

export interface PushSenderDeps {
  settings: PushSettings;
  vapid(): Promise<VapidKeys>;
  /** The push service said the subscription is gone (404 or 410): forget it. */
  onGone(device: string, endpoint: string): Promise<void>;
  log: Logger;
}

/** Counts since start, for tests and the log. */
export interface PushStats {
  sent: number;
  failed: number;
  dropped: number;
  gone: number;
}

/** Only the host of an endpoint is ever logged: the path is the subscription's capability. */
const hostOf = (endpoint: string) => {
  try {
    return new URL(endpoint).host;
  } catch {
    return "?";
  }
};

/**
 * Sends pushes with the `web-push` library (RFC 8030 POST, RFC 8291 aes128gcm, RFC 8292
 * VAPID), fire and forget: `enqueue` never waits and never throws; a bounded queue drops its
 * oldest job when full; failures are logged (host and status only), and a subscription the
 * push service calls gone is removed.
 */
export class PushSender {
  private readonly queue: PushJob[] = [];
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly log: Logger;
  readonly stats: PushStats = { sent: 0, failed: 0, dropped: 0, gone: 0 };

  constructor(private readonly deps: PushSenderDeps) {
    this.log = deps.log.child({ mod: "hub/push-sender" });
  }

  enqueue(job: PushJob): void {
    if (this.queue.length >= this.deps.settings.queueMax) {
      this.queue.shift();
      this.stats.dropped++;
      this.log.warn({ queueMax: this.deps.settings.queueMax }, "push queue full; the oldest waiting push was dropped");
    }
    this.queue.push(job);
    this.pump();
  }

  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private pump(): void {
    while (this.active < this.deps.settings.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.active++;
      void this.send(job).finally(() => {
        this.active--;
        this.pump();
        if (this.active === 0 && this.queue.length === 0) for (const w of this.waiters.splice(0)) w();
      });
    }
  }

  private async send(job: PushJob): Promise<void> {
    const s = this.deps.settings;
    try {
      const vapid = await this.deps.vapid();
      await webpush.sendNotification(job.subscription, job.payload, {
        vapidDetails: { subject: s.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
        TTL: job.ttlS,
        urgency: job.urgency,
        topic: job.topic,
        timeout: s.timeoutMs,
        contentEncoding: "aes128gcm",
        ...(s.agent ? { agent: s.agent } : {}),
      });
      this.stats.sent++;
    } catch (err) {
      const status = err instanceof webpush.WebPushError ? err.statusCode : undefined;
      if (status === 404 || status === 410) {
        this.stats.gone++;
        this.log.info({ host: hostOf(job.subscription.endpoint), status }, "push subscription gone; removed");
        await this.deps
          .onGone(job.device, job.subscription.endpoint)
          .catch((e: unknown) => this.log.warn({ err: String(e) }, "gone subscription not removed"));
        return;
      }
      this.stats.failed++;
      // Never the endpoint's path, the keys or the payload: the host, the status, the error's kind.
      this.log.warn(
        {
          host: hostOf(job.subscription.endpoint),
          status,
          err: status === undefined ? (err as Error)?.name : undefined,
        },
        "push not delivered",
      );
    }
  }
}
