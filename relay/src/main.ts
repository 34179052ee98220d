/** Entry point of `npm run relay`: wiring only (see cli/run.ts). */
import { runCli } from "./cli/run";

runCli(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`relay: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
