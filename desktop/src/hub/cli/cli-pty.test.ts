import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as pty from "node-pty";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestPhone } from "../../../test/test-phone";
import { shortTaskId } from "../api";

/**
 * The CLI's terminal questions in a real pty, as a person sees them: a
 * question settled on the phone disappears at once with a line saying so,
 * the next question shows at once, and the `y` typed for it counts.
 */
const DESKTOP = fileURLToPath(new URL("../../../", import.meta.url));
/** Bound of one step: a hub start opens its embedded relay's PGlite store, slow on a loaded 2-core machine. */
const STEP_MS = 300_000;

// Terminal output with escape sequences removed and carriage returns made visible as line starts.
const ESCAPES = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");
const plain = (s: string) => s.replace(ESCAPES, "").replace(/\r(?!\n)/g, "\n");

describe("terminal questions in a pty", () => {
  const dir = mkdtempSync(join(tmpdir(), "nlink-pty-"));
  let term: pty.IPty;
  let out = "";
  let exited = false;
  let phone: TestPhone | null = null;

  const waitFor = async (pattern: RegExp, from = 0): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + STEP_MS;
    for (;;) {
      const m = plain(out).slice(from).match(pattern);
      if (m) return m;
      if (Date.now() > deadline || exited) throw new Error(`no ${pattern} in:\n${plain(out).slice(from)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(() => {
    mkdirSync(join(dir, "scratch"));
    term = pty.spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/hub/cli/main.ts",
        "--no-build",
        "--data",
        join(dir, "data"),
        "--port",
        "0",
        "--host",
        "127.0.0.1",
        "--pair",
        "--approvals",
        "both",
      ],
      {
        cwd: DESKTOP,
        env: { ...process.env, NLINK_LOG_LEVEL: "error" } as Record<string, string>,
        cols: 200,
        rows: 50,
      },
    );
    term.onData((d) => (out += d));
    term.onExit(() => (exited = true));
  });

  afterAll(() => {
    phone?.stop();
    try {
      term.kill("SIGKILL");
    } catch {
      // Already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    "withdraws a question answered on the phone, shows the next at once, and a typed y answers it",
    async () => {
      const relayUrl = (await waitFor(/reachable at (ws:\/\/\S+)/))[1]!;
      const uri = (await waitFor(/(nlink:\/\/pair\?\S+)/))[1]!;
      phone = new TestPhone(relayUrl, "Pty Phone");
      await phone.connect();
      const { invite } = await phone.requestPairing(uri);
      await waitFor(/Pair with the phone "Pty Phone"\?.*\[y\/N\]/);
      term.write("y\r");
      await phone.completePairing(invite);
      await waitFor(/Paired with "Pty Phone"\./);

      // A high-risk command waits for both the phone and this terminal.
      const first = `rm -rf ${join(dir, "scratch", "a")}`;
      const mark = plain(out).length;
      const t1 = (await phone.rpc!.call("tasks.run", { command: first })) as { task: { id: string; state: string } };
      expect(t1.task.state).toBe("awaiting_approval");
      await waitFor(/Run it\? \[y\/N\]/, mark);
      // The phone rejects: the terminal's question goes away by itself, with a line saying why.
      await phone.rpc!.call("tasks.approve", { task: t1.task.id, approve: false });
      await waitFor(/No need to answer about "rm -rf [^"]+\/a": rejected/, mark);

      // The next question is not stuck behind the stale one, and the y typed for it counts.
      const second = `rm -rf ${join(dir, "scratch", "b")}`;
      const mark2 = plain(out).length;
      const t2 = (await phone.rpc!.call("tasks.run", { command: second })) as { task: { id: string } };
      await phone.rpc!.call("tasks.approve", { task: t2.task.id, approve: true });
      await waitFor(/wants to run: rm -rf \S+\/b[\s\S]*?Run it\? \[y\/N\]/, mark2);
      term.write("y\r");
      await waitFor(new RegExp(`Task ${shortTaskId(t2.task.id)} from Pty Phone: (running|done)`), mark2);
      const done = (await phone.rpc!.call("tasks.get", { task: t2.task.id })) as { task: { state: string } };
      expect(["running", "done"]).toContain(done.task.state);
    },
    4 * STEP_MS,
  );
});
