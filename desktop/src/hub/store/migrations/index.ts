import { migration001 } from "./001-init";
import { migration002 } from "./002-messages";
import { migration003 } from "./003-tasks";
import { migration004 } from "./004-audit";
import { migration005 } from "./005-frames";
import { migration006 } from "./006-task-safety";
import { migration007 } from "./007-workspace-grants";
import { migration008 } from "./008-push";
import { migration009 } from "./009-file-transfers";
import { migration010 } from "./010-favorites-history";
import { migration011 } from "./011-push-asked";
import { migration050 } from "./050-docs";
import type { Migration } from "./migration";

export type { Migration } from "./migration";

/**
 * Every migration this build knows, ascending. To change the schema add a file
 * (001-049 store core, 050+ Yjs documents) and one line here; never edit a landed one.
 */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration050,
];
