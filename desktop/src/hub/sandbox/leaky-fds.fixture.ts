/** Run by leaky-fds.test.ts in a child node that inherited fd 200 (not a test itself). */
import { existsSync } from "node:fs";
import { pino } from "pino";
import { runTask } from "../tasks/task-process";
import { detectSandbox } from "./detect";

const log = pino({ level: "silent" });
const status = await detectSandbox({ log });
process.stdout.write(`hub sees fd 200: ${existsSync("/proc/self/fd/200") ? "yes" : "no"}\n`);
const r = await (
  await runTask({
    command: "printf 'inside: '; ls /proc/self/fd | tr '\\n' ' '; echo",
    cwd: "/",
    log,
    sandbox: { status, spec: { mode: "read-only", writable: [], hidden: [] } },
  })
).done;
process.stdout.write(r.output.replace(/\r/g, ""));
process.exit(r.state === "done" ? 0 : 1);
