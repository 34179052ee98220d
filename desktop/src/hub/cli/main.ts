// `npm run hub -- [options]`: the hub without Electron. Prints what it does
// in plain words (never a key or token), asks its questions on the terminal.
import { hostname } from "node:os";
import { pino } from "pino";
import { HubNode, pairingQr } from "../hub-node";
import type { HubQuestion } from "../hub-events";
import { CliUsageError, parseArgs, USAGE } from "./args";
import { QuestionQueue } from "./question-queue";
import { startWebMode } from "./web-mode";

const say = (text: string) => process.stdout.write(`${text}\n`);

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof CliUsageError)) throw err;
    process.stderr.write(`${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    say(USAGE);
    return 0;
  }
  // Diagnostics go to stderr as JSON; stdout is for the person.
  const log = pino({ level: process.env.NLINK_LOG_LEVEL ?? "warn" }, pino.destination(2));
  say(`Starting the Neural Link hub (data in ${args.dataDir})...`);
  const hub = await HubNode.start({
    dataDir: args.dataDir,
    ...(args.relay ? { relay: args.relay } : {}),
    ...(args.name ? { name: args.name } : { defaultName: hostname().slice(0, 64) || "hub" }),
    ...(args.approvals ? { approvals: args.approvals } : {}),
    embedded: { host: args.host, port: args.port, ...(args.publicUrl ? { publicUrl: args.publicUrl } : {}) },
    log,
  });
  const status = await hub.getStatus();
  say(`This hub is "${status.name}", device ${status.device}.`);
  say(status.relay.mode === "embedded" ? `Relay: built in, reachable at ${hub.publicRelayUrl()}` : `Relay: ${status.relay.url}`);
  const appUrl = hub.phoneAppUrl();
  if (appUrl) say(`Phone app: open ${appUrl} on your phone, then scan or paste the pairing code.`);

  const questions = new QuestionQueue(process.stdin, process.stdout);
  const pendingPairings = new Set<string>();
  const pendingApprovals = new Set<string>();
  hub.on("pairing.done", (d) => {
    pendingPairings.delete(d.requestId);
    say(d.accepted ? `Paired with "${d.device?.name}".` : `Pairing did not happen: ${d.reason ?? "refused"}.`);
  });
  hub.onQuestion((q) => void ask(hub, questions, q, q.kind === "pairing" ? pendingPairings : pendingApprovals));
  hub.on("task", (t) => {
    // Settled elsewhere (the phone refused, the UI answered): do not ask any more.
    if (t.state !== "awaiting_approval") pendingApprovals.delete(t.id);
    say(`Task ${t.id} from ${t.requester_name}: ${t.state} (${t.risk}) ${JSON.stringify(t.command)}`);
  });
  let online = false;
  let stopping = false;
  hub.on("status", (s) => {
    if (s.relay.connected !== online && !stopping) say(s.relay.connected ? "Connected to the relay." : "Lost the relay; reconnecting...");
    online = s.relay.connected;
  });

  let web: Awaited<ReturnType<typeof startWebMode>> | null = null;
  if (args.web) {
    web = await startWebMode(hub, log);
    say("server" in web ? `Desktop UI: open ${web.server.url}` : `Web mode unavailable: ${web.missing}`);
  }

  if (args.pair) {
    await hub.whenOnline();
    const invite = await hub.startPairing();
    say("Scan this code with the Neural Link phone app:");
    say(await pairingQr(invite.uri, "terminal"));
    say(`Or open this link on the phone:\n${invite.uri}`);
    say(`The code works once, until ${new Date(invite.expiresAt).toLocaleTimeString()}.`);
  }

  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  stopping = true;
  say("Stopping...");
  questions.close();
  if (web && "server" in web) await web.server.close();
  await hub.stop();
  say("Stopped.");
  return 0;
}

/** Asks one question on the terminal; `pending` holds the ids still worth asking about. */
async function ask(hub: HubNode, questions: QuestionQueue, q: HubQuestion, pending: Set<string>): Promise<void> {
  const failed = (err: unknown) => say(`Could not answer: ${err instanceof Error ? err.message : String(err)}`);
  switch (q.kind) {
    case "pairing": {
      pending.add(q.requestId);
      const sas = `${q.sas.slice(0, 3)} ${q.sas.slice(3)}`;
      const yes = await questions.ask(`Pair with the phone "${q.deviceName}"? Check that it shows ${sas}.`, () => pending.has(q.requestId));
      if (pending.has(q.requestId)) await hub.answerPairing({ requestId: q.requestId, accept: yes }).catch(failed);
      return;
    }
    case "approval": {
      pending.add(q.task);
      const reasons = q.reasons.length ? ` (${q.reasons.join("; ")})` : "";
      const yes = await questions.ask(`${q.requester} wants to run: ${q.command}${reasons}\nRun it?`, () => pending.has(q.task));
      if (pending.delete(q.task)) await hub.approveTask({ task: q.task, approve: yes }).catch(failed);
      return;
    }
    default: {
      const never: never = q;
      return never;
    }
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`The hub could not start or stopped on an error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
