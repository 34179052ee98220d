/**
 * A phone for hub fault scenarios, written with `shared` alone (the e2e
 * TestPhone: pairing by the QR link, sealed frames, RPC), plus what a phone
 * user would notice: every FRAME the relay delivered (duplicates by id), the
 * messages the endpoint let through after its replay check, and the latest
 * state of each task as `task.updated` pushes told it.
 */
import { AppType, type Task } from "@neural-link/shared/app";
import { RpcClient } from "@neural-link/shared/client";
import { TestPhone } from "../../desktop/test/test-phone";

export { TestPhone };

/** Calls may wait through a hub restart (tsx start on a loaded machine). */
export const CALL_TIMEOUT_MS = 150_000;

export interface PhoneLedger {
  /** FRAME deliveries from the hub, by frame id. */
  readonly frames: Map<string, number>;
  /** Frames delivered more than once (the endpoint drops the copies as replays). */
  duplicateFrames(): number;
  /** Messages the endpoint accepted, by frame id: each must be 1. */
  readonly accepted: Map<string, number>;
  /** The last state each task.updated push said, by task id. */
  readonly taskStates: Map<string, Task["state"]>;
}

/** Pairs a phone with the hub process through its QR link and returns it with its ledger. */
export async function pairedPhone(
  relayUrl: string,
  pairUri: string,
  name = "Fault Phone",
): Promise<{ phone: TestPhone; rpc: RpcClient; ledger: PhoneLedger }> {
  const phone = new TestPhone(relayUrl, name);
  const frames = new Map<string, number>();
  const accepted = new Map<string, number>();
  const taskStates = new Map<string, Task["state"]>();
  phone.gateway.on("frame", (f) => frames.set(f.id, (frames.get(f.id) ?? 0) + 1));
  phone.endpoint.on("message", (m) => {
    accepted.set(m.id, (accepted.get(m.id) ?? 0) + 1);
    if (m.t === AppType.TASK_UPDATED) {
      const task = (m.d as { task: Task }).task;
      taskStates.set(task.id, task.state);
    }
  });
  await phone.connect();
  const { invite } = await phone.requestPairing(pairUri);
  await phone.completePairing(invite);
  const rpc = new RpcClient(phone.endpoint, invite.desktop, { callTimeoutMs: CALL_TIMEOUT_MS });
  // Stopping the phone also ends calls still waiting, so no timer outlives the scenario.
  const stop = phone.stop.bind(phone);
  phone.stop = () => {
    rpc.dispose();
    stop();
  };
  const ledger: PhoneLedger = {
    frames,
    accepted,
    taskStates,
    duplicateFrames: () => [...frames.values()].reduce((n, c) => n + (c - 1), 0),
  };
  return { phone, rpc, ledger };
}
