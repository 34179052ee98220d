import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// Lints snippets as if they lived at the given path, with the project's real config.
const eslint = new ESLint({ cwd: new URL("..", import.meta.url).pathname });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("import rules", () => {
  it.each([
    ["shared/src/bad.ts", `import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n`],
    ["shared/src/bad.ts", `import { startRelay } from "@neural-link/relay";\nexport const x = startRelay;\n`],
    ["relay/src/bad.ts", `import { x } from "@neural-link/desktop";\nexport const y = x;\n`],
    ["relay/src/bad.ts", `import { openEnvelope } from "@neural-link/shared/crypto";\nexport const y = openEnvelope;\n`],
    ["desktop/src/hub/bad.ts", `import { app } from "electron";\nexport const y = app;\n`],
    ["desktop/src/renderer/bad.ts", `import { openStore } from "../hub/store/open-store";\nexport const y = openStore;\n`],
    ["desktop/src/renderer/bad.ts", `import Database from "better-sqlite3";\nexport const y = Database;\n`],
    ["mobile/src/bad.ts", `import { x } from "@neural-link/desktop";\nexport const y = x;\n`],
    ["mobile/src/bad.ts", `import { createHash } from "node:crypto";\nexport const y = createHash;\n`],
    ["shared/src/bad.ts", `import { NotesPad } from "@neural-link/ui";\nexport const y = NotesPad;\n`],
    ["shared/src/bad.ts", `import { useState } from "react";\nexport const y = useState;\n`],
    ["ui/src/bad.ts", `import { x } from "@neural-link/mobile";\nexport const y = x;\n`],
    ["ui/src/bad.ts", `import { readFileSync } from "node:fs";\nexport const y = readFileSync;\n`],
    ["ui/src/bad.ts", `import { x } from "../../shared/src/sync";\nexport const y = x;\n`],
    ["relay/src/bad.ts", `import { NotesPad } from "@neural-link/ui";\nexport const y = NotesPad;\n`],
    ["desktop/src/hub/bad.ts", `import { NotesPad } from "@neural-link/ui/notes";\nexport const y = NotesPad;\n`],
  ])("refuses a wrong import in %s", async (file, code) => {
    expect(await restrictedImports(file, code)).not.toHaveLength(0);
  });

  it.each([
    ["relay/src/ok.ts", `import { Op } from "@neural-link/shared/protocol";\nexport const y = Op;\n`],
    ["desktop/src/hub/ok.ts", `import { openEnvelope } from "@neural-link/shared/crypto";\nimport Database from "better-sqlite3";\nexport const y = [openEnvelope, Database];\n`],
    ["mobile/src/ok.ts", `import { openEnvelope } from "@neural-link/shared/crypto";\nexport const y = openEnvelope;\n`],
    ["mobile/src/ok.ts", `import { NotesPad } from "@neural-link/ui/notes";\nexport const y = NotesPad;\n`],
    ["desktop/src/renderer/src/ok.ts", `import { NotesPad } from "@neural-link/ui/notes";\nexport const y = NotesPad;\n`],
    ["ui/src/ok.ts", `import { DocReplica } from "@neural-link/shared/sync";\nimport { useState } from "react";\nexport const y = [DocReplica, useState];\n`],
  ])("allows a right import in %s", async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });
});
