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
    [
      "relay/src/bad.ts",
      `import { openEnvelope } from "@neural-link/shared/crypto";\nexport const y = openEnvelope;\n`,
    ],
    ["desktop/src/hub/bad.ts", `import { app } from "electron";\nexport const y = app;\n`],
    [
      "desktop/src/renderer/bad.ts",
      `import { openStore } from "../hub/store/open-store";\nexport const y = openStore;\n`,
    ],
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
    [
      "desktop/src/hub/ok.ts",
      `import { openEnvelope } from "@neural-link/shared/crypto";\nimport Database from "better-sqlite3";\nexport const y = [openEnvelope, Database];\n`,
    ],
    [
      "mobile/src/ok.ts",
      `import { openEnvelope } from "@neural-link/shared/crypto";\nexport const y = openEnvelope;\n`,
    ],
    ["mobile/src/ok.ts", `import { NotesPad } from "@neural-link/ui/notes";\nexport const y = NotesPad;\n`],
    [
      "desktop/src/renderer/src/ok.ts",
      `import { NotesPad } from "@neural-link/ui/notes";\nexport const y = NotesPad;\n`,
    ],
    [
      "ui/src/ok.ts",
      `import { DocReplica } from "@neural-link/shared/sync";\nimport { useState } from "react";\nexport const y = [DocReplica, useState];\n`,
    ],
  ])("allows a right import in %s", async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });

  // Each rule of the layering, shown to reject the import it exists for (the message names the rule).
  it.each([
    [
      "desktop/src/hub/bad.ts",
      `import type { X } from "../preload/window-hub";\nexport type Y = X;\n`,
      "Electron layers above it",
    ],
    [
      "desktop/src/hub/tasks/bad.ts",
      `import { x } from "../../main/hub-ipc";\nexport const y = x;\n`,
      "Electron layers above it",
    ],
    [
      "desktop/src/hub/bad.ts",
      `import { x } from "../renderer/src/hub-ref";\nexport const y = x;\n`,
      "Electron layers above it",
    ],
    [
      "desktop/src/hub/api/bad.ts",
      `import { readFileSync } from "node:fs";\nexport const y = readFileSync;\n`,
      "no Node built-ins",
    ],
    [
      "desktop/src/hub/api/bad.ts",
      `import { openStore } from "../store";\nexport const y = openStore;\n`,
      "imports only shared and itself",
    ],
    [
      "desktop/src/renderer/src/bad.ts",
      `import { HubNode } from "../../hub/hub-node";\nexport const y = HubNode;\n`,
      "hub's API contract",
    ],
    [
      "desktop/src/preload/bad.ts",
      `import { x } from "../renderer/src/hub-ref";\nexport const y = x;\n`,
      "never import the renderer",
    ],
    [
      "desktop/src/hub/bad.ts",
      `import { TestPhone } from "../../test/test-phone";\nexport const y = TestPhone;\n`,
      "test support",
    ],
    [
      "desktop/src/hub/bridge/bad.ts",
      `import { x } from "../../../e2e/build-web";\nexport const y = x;\n`,
      "test support",
    ],
    ["desktop/src/hub/sandbox/bad.ts", `import "./hub-death.fixture";\n`, "test support"],
    [
      "desktop/src/renderer/src/bad.ts",
      `import { x } from "../../../test/test-phone";\nexport const y = x;\n`,
      "test support",
    ],
    [
      "relay/src/bad.ts",
      `import { startTestRelay } from "../test/test-databases";\nexport const y = startTestRelay;\n`,
      "test support",
    ],
    [
      "mobile/src/stores/bad.ts",
      `import { ScriptedHub } from "../../test/scripted-hub";\nexport const y = ScriptedHub;\n`,
      "test support",
    ],
    [
      "shared/src/client/bad.ts",
      `import { FakeRelay } from "../../test/fake-relay";\nexport const y = FakeRelay;\n`,
      "test support",
    ],
    ["ui/src/bad.ts", `import { x } from "../test/helpers";\nexport const y = x;\n`, "test support"],
    ["desktop/src/hub/bad.ts", `import { expect } from "vitest";\nexport const y = expect;\n`, "test tool"],
    [
      "shared/src/policy/bad.ts",
      `import { readFileSync } from "node:fs";\nexport const y = readFileSync;\n`,
      "no Node built-ins",
    ],
    [
      "relay/src/bad.ts",
      `import { classify } from "../../desktop/src/hub/tasks";\nexport const y = classify;\n`,
      "Apps never import each other",
    ],
  ])("%s: refuses `%s` (%s)", async (file, code, rule) => {
    const messages = await restrictedImports(file, code);
    expect(messages.join("\n")).toContain(rule);
  });

  it.each([
    [
      "desktop/src/renderer/src/ok.ts",
      `import type { Task } from "../../hub/api";\nimport { previewCommand } from "@neural-link/shared/policy";\nexport const y: [Task?, unknown?] = [undefined, previewCommand];\n`,
    ],
    ["desktop/src/main/ok.ts", `import { HUB_EVENTS } from "../hub/api";\nexport const y = HUB_EVENTS;\n`],
    ["desktop/src/hub/ok.test.ts", `import { TestPhone } from "../../test/test-phone";\nexport const y = TestPhone;\n`],
    ["desktop/src/hub/sandbox/ok.test.ts", `import "./hub-death.fixture";\n`],
    ["desktop/e2e/ok.test.ts", `import { TestPhone } from "../test/test-phone";\nexport const y = TestPhone;\n`],
    ["desktop/test/ok.ts", `import { HubNode } from "../src/hub/hub-node";\nexport const y = HubNode;\n`],
    [
      "relay/src/ok.test.ts",
      `import { startTestRelay } from "../test/test-databases";\nexport const y = startTestRelay;\n`,
    ],
    ["relay/test/ok.ts", `import { startRelay } from "../src/relay";\nexport const y = startRelay;\n`],
    [
      "mobile/src/stores/ok.test.ts",
      `import { ScriptedHub } from "../../test/scripted-hub";\nexport const y = ScriptedHub;\n`,
    ],
    [
      "shared/src/client/ok.test.ts",
      `import { FakeRelay } from "../../test/fake-relay";\nexport const y = FakeRelay;\n`,
    ],
  ])("allows test support to tests and test helpers: %s", async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });
});
