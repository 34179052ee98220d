/**
 * The phone of the terminal benchmark, in its own process (as on its own device):
 *   tsx bench/terminal-phone-serve.ts <relay url>
 * Reads one JSON request per line on stdin, `{id, cmd, ...}`, and answers each on
 * stdout with `{id, result}` or `{id, error}`; a row may first send `{id, event}`
 * lines. Commands: pair {uri}, echo {samples, gapMs, warmup}, cat {file}, flood {settings}.
 * The phone asks for binary frames, as the phone app does (docs/protocol.md section 5).
 */
import { createInterface } from "node:readline";
import { TestPhone } from "../desktop/test/test-phone";
import { catRow, echoRow, floodRow, type FloodSettings } from "./terminal-phone";

const relayUrl = process.argv[2];
if (!relayUrl) throw new Error("usage: terminal-phone-serve.ts <relay url>");
const phone = new TestPhone(relayUrl, "Bench Phone", { binaryFrames: true });
await phone.connect();

type Request = { id: number } & (
  | { cmd: "pair"; uri: string }
  | { cmd: "echo"; samples: number; gapMs: number; warmup: number }
  | { cmd: "cat"; file: string; bytes: boolean }
  | { cmd: "flood"; settings: FloodSettings }
);

const write = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function run(r: Request): Promise<unknown> {
  switch (r.cmd) {
    case "pair": {
      const { invite } = await phone.requestPairing(r.uri);
      await phone.completePairing(invite);
      return {};
    }
    case "echo":
      return echoRow(phone, r.samples, r.gapMs, {
        warmup: r.warmup,
        mark: (phase) => write({ id: r.id, event: { phase } }),
      });
    case "cat":
      return catRow(phone, r.file, r.bytes);
    case "flood":
      return floodRow(phone, r.settings, (term) => write({ id: r.id, event: { term } }));
  }
}

// One row at a time, in order: rows measure, so they never overlap.
let queue = Promise.resolve();
createInterface({ input: process.stdin }).on("line", (line) => {
  const request = JSON.parse(line) as Request;
  queue = queue.then(() =>
    run(request).then(
      (result) => void write({ id: request.id, result }),
      (err: unknown) => void write({ id: request.id, error: err instanceof Error ? err.message : String(err) }),
    ),
  );
});
process.stdin.on("end", () => {
  phone.stop();
  process.exit(0);
});
