import { describe, expect, it } from "vitest";
import { PUSH_COMMAND_MAX, pushPayloadSchema } from "@neural-link/shared/app";
import { approvalPayload, encodePayload } from "./push-payloads";

const hub = { hub: "H".repeat(43), hub_name: "Studio" };
const task = {
  id: "t1",
  command: "ls",
  risk: "high" as const,
  state: "awaiting_approval" as const,
  requested_by: "P".repeat(43),
  requested_by_name: "Pixel",
};

describe("push payloads", () => {
  it("an approval carries the whole command when it fits", () => {
    const p = approvalPayload(hub, task);
    expect(p).toMatchObject({ k: "approval", command: "ls", full: true, asker: "Pixel" });
    expect(JSON.parse(encodePayload(p, 3000))).toEqual(p);
  });

  it("a long command is cut and marked not full, so the phone offers no approval from the notification", () => {
    const p = approvalPayload(hub, { ...task, command: "x".repeat(5000) });
    expect(p).toMatchObject({ full: false });
    expect((p as { command: string }).command.length).toBe(PUSH_COMMAND_MAX);
  });

  it("stays under the byte budget even when every character needs escaping", () => {
    const p = approvalPayload(hub, { ...task, command: "\u0001".repeat(900) });
    const text = encodePayload(p, 3000);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(3000);
    const back = pushPayloadSchema.parse(JSON.parse(text));
    expect(back).toMatchObject({ k: "approval", full: false });
  });
});
