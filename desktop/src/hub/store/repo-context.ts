import type { Kysely } from "kysely";
import type { IdGenerator } from "./ids";
import type { Database } from "./schema";
import type { StoreOptions } from "./store-options";

/** What every repository gets from `openStore`: the database, the clock, the id source, the knobs. */
export interface RepoContext {
  db: Kysely<Database>;
  now: () => number;
  newId: IdGenerator;
  options: Readonly<StoreOptions>;
}
