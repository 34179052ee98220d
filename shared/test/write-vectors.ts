// Regenerates vectors.json: `NODE_ENV=test npx tsx shared/test/write-vectors.ts`.
// Only when the protocol itself changes; the test fails on any drift.
import { writeFileSync } from "node:fs";
import { computeVectors } from "./compute-vectors";

writeFileSync(new URL("./vectors.json", import.meta.url), JSON.stringify(computeVectors(), null, 2) + "\n");
