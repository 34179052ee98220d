import { AppType } from "@neural-link/shared/app";
import type { Logger } from "pino";
import { DESKTOP_ACTOR } from "../audit-log";
import type { DeviceService } from "../devices/device-service";
import type { HubEmitter } from "../hub-events";
import type { HubLink } from "../link/hub-link";
import type { TaskService, TaskUpdatedEvent } from "./task-service";
import { toUiTask } from "./ui-task";

/**
 * Carries every task change where it must go: to the desktop UI (`task`),
 * to the person at the desktop when their approval is awaited
 * (`approval.request` and a question, once per task), and to the device that
 * asked, as a qos 1 `task.updated` frame (docs/protocol.md section 11).
 */
export class TaskPushes {
  private readonly asked = new Set<string>();
  private readonly log: Logger;

  constructor(
    private readonly tasks: TaskService,
    private readonly link: HubLink,
    private readonly devices: DeviceService,
    private readonly events: HubEmitter,
    log: Logger,
  ) {
    this.log = log.child({ mod: "hub/task-pushes" });
    tasks.onUpdated((e) => void this.push(e));
  }

  private async push(e: TaskUpdatedEvent): Promise<void> {
    try {
      const wire = await this.tasks.wire(e.task);
      const ui = toUiTask(e.task, await this.devices.nameOf(e.requestedBy), wire);
      this.events.emit("task", ui);
      if (wire.state === "awaiting_approval" && wire.awaiting?.includes("desktop") && !this.asked.has(wire.id)) {
        this.asked.add(wire.id);
        this.events.emit("approval.request", ui);
        this.events.emit("question", {
          kind: "approval",
          task: wire.id,
          command: wire.command,
          requester: ui.requester_name,
          reasons: wire.reasons ?? [],
        });
      }
      if (wire.state !== "awaiting_approval") this.asked.delete(wire.id);
      if (e.requestedBy !== DESKTOP_ACTOR && this.link.status.state !== "closed") {
        await this.link.send(e.requestedBy, AppType.TASK_UPDATED, { task: wire }, 1);
      }
    } catch (err) {
      this.log.warn({ err: String(err), task: e.task.id }, "task update not delivered");
    }
  }
}
