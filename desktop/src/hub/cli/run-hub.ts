import { constants as osConstants, hostname } from "node:os";
import { Writable } from "node:stream";
import { pino } from "pino";
import { shortTaskId, type Task } from "../api";
import { HUB_DEFAULTS } from "../hub-settings";
import { HubNode, pairingQr } from "../hub-node";
import type { HubQuestion } from "../hub-events";
import type { CliArgs } from "./args";
import { ensureBuilt } from "./build-stamp";
import { startControlServer } from "./control-server";
import { acquireDataLock } from "./data-lock";
import { QuestionQueue } from "./question-queue";
import { isLoopbackUrl } from "./relay-url";
import { RelayReporter } from "./relay-reporter";
import { listenForStop } from "./stop-signal";
import { startWebMode } from "./web-mode";

const minutes = (ms: number) => {
  const m = Math.round(ms / 60_000);
  return m === 1 ? "one minute" : `${m} minutes`;
};

/** Why a waiting approval question is no longer this terminal's to answer, or null while it still is. */
export function settledElsewhere(t: Pick<Task, "state" | "awaiting" | "ended_by_name">): string | null {
  if (t.state === "awaiting_approval")
    return t.awaiting && !t.awaiting.includes("desktop") ? "the desktop's approval was given elsewhere" : null;
  const by = t.ended_by_name ? ` by ${t.ended_by_name}` : "";
  return t.state === "rejected" ? `rejected${by}` : `now ${t.state.replace("_", " ")}`;
}

/** Runs the hub until SIGINT or SIGTERM. Returns the exit code. */
export async function runHub(args: CliArgs): Promise<number> {
  const lock = acquireDataLock(args.dataDir);
  const questions = new QuestionQueue(process.stdin, process.stdout);
  const say = (text: string) => questions.print(text);
  // Listening before anything starts: a signal during the start stops the hub in order once it has started.
  const stop = listenForStop((signal) => {
    say("Stopping without waiting.");
    process.exit(128 + osConstants.signals[signal]);
  });
  try {
    if (args.build) await ensureBuilt(say);
    // Diagnostics go to stderr as JSON, around an open prompt; stdout is for the person.
    const stderr = new Writable({
      write: (chunk: Buffer, _enc, done) => (questions.print(chunk.toString(), process.stderr), done()),
    });
    const log = pino({ level: process.env.NLINK_LOG_LEVEL ?? "warn" }, stderr);
    say(`Starting the Neural Link hub (data in ${args.dataDir})...`);
    const hub = await HubNode.start({
      dataDir: args.dataDir,
      ...(args.relay ? { relay: args.relay } : {}),
      ...(args.forgetRelay ? { forgetRelay: true } : {}),
      ...(args.name ? { name: args.name } : { defaultName: hostname().slice(0, 64) || "hub" }),
      ...(args.approvals ? { approvals: args.approvals } : {}),
      embedded: { host: args.host, port: args.port, ...(args.publicUrl ? { publicUrl: args.publicUrl } : {}) },
      log,
    });
    let stopping = false;
    const reporter = new RelayReporter(say);
    hub.onRelayLink((s) => !stopping && reporter.onStatus(s));
    const status = await hub.getStatus();
    say(`This hub is "${status.name}", device ${status.device}.`);
    say(
      status.relay.mode === "embedded"
        ? `Relay: built in, reachable at ${hub.publicRelayUrl()}`
        : `Relay: ${status.relay.url}`,
    );
    // The sandbox decides whether anything may run unasked: say which one is in force, or why none is.
    const sandbox = hub.sandboxStatus();
    say(sandbox.available ? `Sandbox: ${sandbox.reason}.` : `${sandbox.reason}.`);
    const appUrl = hub.phoneAppUrl();
    if (appUrl) {
      say(`Phone app: open ${appUrl} on your phone${args.pair ? ", then scan or paste the pairing code below." : "."}`);
      if (isLoopbackUrl(appUrl))
        say(
          "  (That address is this machine only: a phone needs the relay's network address. Use a relay URL a phone can reach, or --public-url.)",
        );
    }
    if (!args.pair) say("To pair a phone, start the hub with --pair.");

    wireQuestions(hub, questions, say);
    const control = await startControlServer(args.dataDir, hub, log).catch((err: unknown) => {
      say(`The devices subcommands cannot reach this hub: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    });

    let web: Awaited<ReturnType<typeof startWebMode>> | null = null;
    if (args.web) {
      web = await startWebMode(hub, log, {
        dataDir: args.dataDir,
        rotateToken: args.rotateWebToken,
        port: args.webPort,
        say,
      });
      say(
        "server" in web
          ? `Desktop UI: open ${web.server.url} (the same address after a restart)`
          : `Web mode unavailable: ${web.missing}`,
      );
    }

    if (args.pair && (await Promise.race([hub.whenOnline().then(() => true), stop.requested.then(() => false)]))) {
      const invite = await hub.startPairing();
      say("Scan this code with the Neural Link phone app:");
      say(await pairingQr(invite.uri, "terminal"));
      say(`Or open this link on the phone:\n${invite.uri}`);
      say(
        `The code works once, for ${minutes(HUB_DEFAULTS.pairingTtlS * 1000)} (until ${new Date(invite.expiresAt).toLocaleTimeString()}).`,
      );
    }

    await stop.requested;
    stopping = true;
    say("Stopping...");
    questions.close();
    await control?.close();
    if (web && "server" in web) await web.server.close();
    await hub.stop();
    say("Stopped.");
    return 0;
  } finally {
    stop.dispose();
    questions.close();
    lock.release();
  }
}

/** Asks the hub's questions on the terminal, and withdraws each one the moment it is settled elsewhere. */
function wireQuestions(hub: HubNode, questions: QuestionQueue, say: (line: string) => void): void {
  const failed = (err: unknown) => say(`Could not answer: ${err instanceof Error ? err.message : String(err)}`);
  hub.on("pairing.done", (d) => {
    say(d.accepted ? `Paired with "${d.device?.name}".` : `Pairing did not happen: ${d.reason ?? "refused"}.`);
    questions.withdraw(`pair:${d.requestId}`, "(That pairing question was settled elsewhere.)");
  });
  hub.on("task", (t) => {
    say(`Task ${shortTaskId(t.id)} from ${t.requester_name}: ${t.state} (${t.risk}) ${JSON.stringify(t.command)}`);
    const why = settledElsewhere(t);
    if (why) questions.withdraw(`task:${t.id}`, `(No need to answer about ${JSON.stringify(t.command)}: ${why}.)`);
  });
  hub.onQuestion((q: HubQuestion) => {
    switch (q.kind) {
      case "pairing": {
        const sas = `${q.sas.slice(0, 3)} ${q.sas.slice(3)}`;
        void questions
          .ask(`pair:${q.requestId}`, `Pair with the phone "${q.deviceName}"? Check that it shows ${sas}.`)
          .then((a) => {
            if (a !== "withdrawn") hub.answerPairing({ requestId: q.requestId, accept: a === "yes" }).catch(failed);
          });
        return;
      }
      case "approval": {
        const reasons = q.reasons.length ? ` (${q.reasons.join("; ")})` : "";
        void questions
          .ask(`task:${q.task}`, `${q.requester} wants to run: ${q.command}${reasons}\nRun it?`)
          .then((a) => {
            if (a !== "withdrawn") hub.approveTask({ task: q.task, approve: a === "yes" }).catch(failed);
          });
        return;
      }
      default: {
        const never: never = q;
        return never;
      }
    }
  });
}
