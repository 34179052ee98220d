import type { AuditEntry } from "./store";

/** What the audit line needs beyond the entry: a task's command and a device's name. */
export interface AuditLookups {
  command(task: string): Promise<string | null>;
  deviceName(device: string): Promise<string>;
}

/** An audit entry in words, for the person (issue: no raw ids or digests on screen). */
export interface AuditWords {
  text: string;
  /** The command the entry is about, when it is about a task. */
  command?: string;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);

/** How a task ended, from `task.finished`'s detail. */
function finishedText(d: Record<string, unknown>): string {
  const exit = typeof d.exitCode === "number" ? d.exitCode : null;
  const blocked = str(d.blocked);
  switch (str(d.endReason)) {
    case "timeout":
      return "stopped: it ran past its time limit";
    case "cancelled":
      return "cancelled";
    case "hub_stopped":
    case "hub_interrupted":
      return "interrupted by a hub stop";
    case "spawn_failed":
      return "could not be started";
    default:
      if (blocked)
        return `the sandbox stopped it: it tried to ${blocked === "network" ? "reach the network" : blocked === "write" ? "write a file" : blocked}`;
      if (d.state === "done") return d.sandbox ? `finished in the sandbox (${String(d.sandbox)})` : "finished";
      return exit === null ? "failed" : `failed with exit code ${exit}`;
  }
}

function requestedText(d: Record<string, unknown>): string {
  if (d.risk === "forbidden") return "asked to run a forbidden command (never run)";
  if (d.state === "awaiting_approval") return "asked to run a high-risk command (waits for approval)";
  return d.sandbox ? `ran a low-risk command in the sandbox (${String(d.sandbox)})` : "ran a command at once";
}

/**
 * Turns one audit entry into a sentence: the decision in words, the command
 * instead of the task id, device names instead of device ids. Unknown
 * actions (from a newer build) read as their name with spaces.
 */
export async function auditWords(e: AuditEntry, look: AuditLookups): Promise<AuditWords> {
  const d = e.detail ?? {};
  const subject = e.subject ?? "";
  const withCommand = async (text: string): Promise<AuditWords> => {
    const command = subject ? await look.command(subject) : null;
    return command === null ? { text } : { text, command };
  };
  const device = async () => (subject ? look.deviceName(subject) : "a device");
  switch (e.action) {
    case "task.requested":
      return withCommand(requestedText(d));
    case "task.approved":
      return withCommand("approved");
    case "task.rejected":
      return withCommand("rejected");
    case "task.approval_refused":
      return withCommand(`answer refused (${str(d.code)?.replaceAll("_", " ") ?? "not allowed"})`);
    case "task.approved_remembered":
      return withCommand("ran at once on an approval remembered for today");
    case "task.approval_expired":
      return withCommand("approval expired: nobody answered in time");
    case "task.interrupted":
      return withCommand("interrupted by a hub stop");
    case "task.cancelled":
      return withCommand("cancelled");
    case "task.escalated":
      return withCommand("asked to run it again without the sandbox (waits for approval)");
    case "task.context_changed":
      return withCommand("not run: its folder or environment changed after approval");
    case "task.finished":
      return withCommand(finishedText(d));
    case "approval.remembered":
      return withCommand("approved for today: this exact command runs without asking until midnight");
    case "approval.forgotten":
      return { text: `forgot the approvals remembered for ${await device()}` };
    case "terminal.requested":
      return withCommand("asked to open a terminal (full access, waits for approval)");
    case "terminal.opened":
      return { text: "opened a terminal (full access)" };
    case "terminal.closed":
      return { text: "closed a terminal" };
    case "device.paired":
      return { text: `paired ${str(d.name) ?? (await device())}` };
    case "device.renamed":
      return { text: `renamed a device to ${str(d.name) ?? "?"}` };
    case "device.revoked":
      return { text: `revoked ${await device()}` };
    case "device.caps":
      return {
        text: `changed what ${await device()} may do: ${Array.isArray(d.caps) ? d.caps.join(", ") || "nothing" : "?"}`,
      };
    case "device.policy":
      return { text: `changed the risk overrides of ${await device()}` };
    case "workspace.granted":
      return { text: `let ${await device()} change files in ${str(d.path) ?? "?"}` };
    case "workspace.revoked":
      return {
        text: `took back ${await device()}'s write access to ${str(d.path) ?? "?"}${d.why ? ` (${String(d.why)})` : ""}`,
      };
    case "pairing.opened":
      return { text: "showed a pairing code" };
    case "pairing.requested":
      return { text: `asked to pair as ${str(d.name) ?? "a new device"}` };
    case "pairing.refused":
      return { text: `pairing refused${str(d.reason) ? ` (${str(d.reason)?.replaceAll("_", " ")})` : ""}` };
    case "rpc.forbidden":
      return { text: `was refused ${str(d.method) ?? "a call"}: it lacks the capability` };
    case "hub.setup":
      return { text: "set up this hub" };
    case "settings.updated":
      return { text: `changed settings${Array.isArray(d.keys) ? `: ${d.keys.join(", ")}` : ""}` };
    default:
      return withCommand(e.action.replaceAll(".", " ").replaceAll("_", " "));
  }
}
