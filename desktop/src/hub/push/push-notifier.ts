import { createHash } from "node:crypto";
import { FINAL_TASK_STATES, type PushKind, type PushPayload, pushTag } from "@neural-link/shared/app";
import type { Logger } from "pino";
import { DESKTOP_ACTOR } from "../audit-log";
import type { DeviceService } from "../devices/device-service";
import type { HubEmitter } from "../hub-events";
import type { MessageRecord, Store } from "../store";
import type { TaskService, TaskUpdatedEvent } from "../tasks/task-service";
import {
  answeredPayload,
  answerOf,
  approvalPayload,
  encodePayload,
  type HubRef,
  messagePayload,
  taskPayload,
} from "./push-payloads";
import type { PushJob } from "./push-sender";
import type { PushService } from "./push-service";

export interface PushNotifierDeps {
  push: PushService;
  tasks: TaskService;
  events: HubEmitter;
  devices: DeviceService;
  store: Store;
  /** The hub's device id and current name, named in every payload. */
  hub(): HubRef;
  log: Logger;
}

/** RFC 8030 Topic: base64url, at most 32 characters; one per tag, so a follow-up replaces a push still waiting. */
/** Newest tasks looked at when an app goes out of sight, for approvals still waiting for it. */
const CATCH_UP_SCAN = 50;

const topicOf = (tag: string) => createHash("sha256").update(tag).digest("base64url").slice(0, 32);

/**
 * Decides who gets which push, listening where the hub already announces changes (the
 * task service's `onUpdated`, the `message` event), never in the task path itself: every
 * push is queued and sent later (PushSender), and a failure here is only logged.
 *
 * - approval: a task awaiting this phone's approval (once per task; one asked while the
 *   app was on screen is pushed when the app goes out of sight);
 * - answered: that approval was decided (here, on the desktop, or it expired): a follow-up
 *   with the same tag and topic replaces the notification, whatever the settings;
 * - task: a task of this phone's ended by itself (done, failed, timed out);
 * - message: a message this phone did not send.
 */
export class PushNotifier {
  private readonly log: Logger;

  constructor(private readonly deps: PushNotifierDeps) {
    this.log = deps.log.child({ mod: "hub/push-notifier" });
    deps.tasks.onUpdated(
      (e) => void this.onTask(e).catch((err: unknown) => this.log.warn({ err: String(err) }, "task push not queued")),
    );
    // An approval asked while the app was on screen was not pushed; once the app is out of sight, it is.
    deps.push.onHidden(
      (device) =>
        void this.catchUp(device).catch((err: unknown) =>
          this.log.warn({ err: String(err) }, "waiting approvals not pushed"),
        ),
    );
    deps.events.on(
      "message",
      (m) =>
        void this.onMessage(m).catch((err: unknown) => this.log.warn({ err: String(err) }, "message push not queued")),
    );
  }

  private async onTask(e: TaskUpdatedEvent): Promise<void> {
    const device = e.requestedBy;
    if (device === DESKTOP_ACTOR) return;
    // Tasks whose approval was pushed, and to which device, are on disk (push_asked): they get an "answered"
    // follow-up, also after a hub restart. Most devices have no subscription: two row reads, before the task's
    // names are looked up.
    const repo = this.deps.push.repo;
    const asked = await repo.askedDevice(e.task.id);
    if (asked === null && (await this.deps.push.target(device, null)) === null) return;
    const wire = await this.deps.tasks.wire(e.task);
    if (wire.state === "awaiting_approval" && wire.awaiting?.includes("phone")) {
      if (asked !== null) return;
      const ttlS =
        wire.approval_expires_at !== undefined
          ? Math.max(60, Math.ceil((wire.approval_expires_at - Date.now()) / 1000))
          : this.deps.push.settings.ttlS;
      if (await this.deliver(device, "approval", approvalPayload(this.deps.hub(), wire), { ttlS, urgency: "high" }))
        await repo.markAsked(wire.id, device);
      return;
    }
    // Taken off the list first: of two updates racing here, one sends the follow-up.
    if (asked !== null && (await repo.clearAsked(wire.id))) {
      const askedDevice = asked;
      const { outcome, by } = answerOf(e.task);
      const byName =
        by === "hub" ? "" : by === DESKTOP_ACTOR ? this.deps.hub().hub_name : await this.deps.devices.nameOf(by);
      await this.deliver(askedDevice, null, answeredPayload(this.deps.hub(), wire.id, outcome, byName), {
        ttlS: this.deps.push.settings.ttlS,
        urgency: "high",
      });
    }
    // Ended by itself: a rejection or a cancellation is the person's own doing, or told by "answered".
    if (FINAL_TASK_STATES.has(wire.state) && wire.state !== "rejected" && wire.kind !== "terminal") {
      await this.deliver(device, "task", taskPayload(this.deps.hub(), wire), {
        ttlS: this.deps.push.settings.ttlS,
        urgency: "normal",
      });
    }
  }

  private async catchUp(device: string): Promise<void> {
    for (const task of await this.deps.tasks.list({ limit: CATCH_UP_SCAN })) {
      if (task.requestedBy === device && task.state === "awaiting_approval")
        await this.onTask({ task, requestedBy: device });
    }
  }

  private async onMessage(m: MessageRecord): Promise<void> {
    for (const d of await this.deps.store.devices.list()) {
      if (d.id === m.sender || d.kind !== "phone") continue;
      await this.deliver(d.id, "message", messagePayload(this.deps.hub(), m), {
        ttlS: this.deps.push.settings.ttlS,
        urgency: "normal",
      });
    }
  }

  /** Queues one push if the device should get it; true when queued. */
  private async deliver(
    device: string,
    kind: PushKind | null,
    payload: PushPayload,
    o: { ttlS: number; urgency: PushJob["urgency"] },
  ): Promise<boolean> {
    const subscription = await this.deps.push.target(device, kind);
    if (!subscription) return false;
    const text = encodePayload(payload, this.deps.push.settings.payloadMaxBytes);
    this.deps.push.sender.enqueue({
      device,
      subscription,
      payload: text,
      ttlS: o.ttlS,
      urgency: o.urgency,
      topic: topicOf(pushTag(payload)),
    });
    return true;
  }
}
