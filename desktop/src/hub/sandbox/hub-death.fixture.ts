/** Run by hub-death.test.ts in a child node that is then SIGKILLed (not a test itself). */
import { pino } from "pino";
import { runTask } from "../tasks/task-process";
import { detectSandbox } from "./detect";

const marker = process.argv[2];
const log = pino({ level: "silent" });
const status = await detectSandbox({ log });
await runTask({
  command: `setsid sleep ${marker} & nohup sleep ${marker} >/dev/null 2>&1 & echo started; sleep ${marker}`,
  cwd: "/",
  log,
  onOutput: (t) => t.includes("started") && process.stdout.write("started\n"),
  sandbox: { status, spec: { mode: "read-only", writable: [], hidden: [] } },
});
