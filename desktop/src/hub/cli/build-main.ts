// `npm run build`: builds the phone app and the desktop web UI, and records
// the hash of their sources, so `npm run hub` knows they are current and
// starts without building again.
import { BuildError, ensureBuilt } from "./build-stamp";

ensureBuilt((line) => process.stdout.write(`${line}\n`), { force: true }).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof BuildError ? err.message : `the build failed: ${String(err)}`}\n`);
    process.exit(1);
  },
);
