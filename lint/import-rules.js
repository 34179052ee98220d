// The dependency rules of docs/architecture.md, as ESLint flat-config blocks.
// Imports only go down: apps import `shared`; the two web UIs (desktop
// renderer, phone) may also import `ui`, which imports only `shared`;
// apps never import each other; `shared` imports no runtime and never `ui`; the hub never imports electron; the
// renderer
// never reaches Node code. Kept in its own file so lint/import-rules.test.ts
// can prove that each rule actually fires.
import { builtinModules } from "node:module";

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodeOnlyPackages = ["better-sqlite3", "node-pty", "pino", "ws", "pg", "@electric-sql/pglite"];

const banNames = (names, message) => names.map((name) => ({ name, message }));

/** @param {{ names?: {name: string, message: string}[], patterns?: {group: string[], message: string}[] }} spec */
const restrict = (spec) => ({
  "no-restricted-imports": ["error", { paths: spec.names ?? [], patterns: spec.patterns ?? [] }],
});

/**
 * @param {string} [self] the package itself, @param {boolean} [ui] whether it is a web UI that may use @neural-link/ui
 */
const noApps = (self, ui = false) => ({
  group: [
    "@neural-link/*",
    "!@neural-link/shared",
    "!@neural-link/shared/*",
    ...(self ? [`!@neural-link/${self}`] : []),
    ...(ui ? ["!@neural-link/ui", "!@neural-link/ui/*"] : []),
  ],
  message: ui
    ? "Apps never import each other; share code through @neural-link/shared (or @neural-link/ui for React pieces)."
    : "Apps never import each other; share code through @neural-link/shared.",
});

/**
 * Production files of an area: everything but tests and their support. They
 * may not import test support either (test/, e2e/, test-support/, *.test,
 * *.fixture, or a test runner): shipping code never depends on what only tests
 * build.
 */
const TEST_FILES = ["**/*.test.{ts,tsx}", "**/test/**", "**/e2e/**", "**/test-support/**", "**/*.fixture.ts"];
const noTestSupport = {
  group: [
    "**/test/**",
    "**/e2e/**",
    "**/test-support/**",
    "**/*.test",
    "**/*.test.ts",
    "**/*.fixture",
    "**/*.fixture.ts",
    "**/*.test-support",
    "**/*.test-support.ts",
  ],
  message: "Production code never imports test support (test/, e2e/, test-support/, tests and fixtures).",
};
const testRunners = banNames(["vitest", "fast-check", "playwright-core"], "Production code never imports a test tool.");

/** Each area's rules: its dependency direction, and the same plus "no test support" for its production files. */
const areas = [
  {
    // Library code only: shared's tests and tools run in Node and may use it.
    files: ["shared/src/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts"],
    spec: {
      names: [
        ...banNames(nodeBuiltins, "shared runs in browsers and Node alike: no Node built-ins."),
        ...banNames(
          ["electron", "react", "react-dom", ...nodeOnlyPackages],
          "shared imports no runtime and no app framework.",
        ),
      ],
      patterns: [
        { group: ["@neural-link/*", "!@neural-link/shared"], message: "shared imports no app." },
        { group: ["**/relay/**", "**/desktop/**", "**/mobile/**", "**/ui/**"], message: "shared imports no app." },
      ],
    },
  },
  {
    // The shared React pieces: above shared, below the two web UIs.
    files: ["ui/src/**/*.{ts,tsx}"],
    spec: {
      names: [
        ...banNames(nodeBuiltins, "ui runs in browsers: no Node built-ins."),
        ...banNames(["electron", ...nodeOnlyPackages], "ui is React for the web UIs: no Node runtime."),
      ],
      patterns: [
        {
          group: [
            "@neural-link/*",
            "!@neural-link/shared",
            "!@neural-link/shared/*",
            "!@neural-link/ui",
            "!@neural-link/ui/*",
          ],
          message: "ui imports only shared: the apps import ui, never the reverse.",
        },
        {
          regex: "^\\.\\.?/.*\\b(relay|desktop|mobile|shared)/",
          message: "ui imports shared by its package name, and no app.",
        },
      ],
    },
  },
  {
    files: ["relay/**/*.{ts,tsx}"],
    spec: {
      names: banNames(
        ["electron", "react", "react-dom", "tweetnacl", "yjs", "y-protocols"],
        "The relay never decodes what it forwards.",
      ),
      patterns: [
        noApps("relay"),
        { group: ["**/desktop/**", "**/mobile/**"], message: "Apps never import each other." },
        {
          group: [
            "@neural-link/shared/crypto",
            "@neural-link/shared/crypto/*",
            "@neural-link/shared/sync",
            "@neural-link/shared/sync/*",
            "@neural-link/shared/pairing",
            "@neural-link/shared/app",
          ],
          message: "The relay reads routing fields only; it never imports the end-to-end crypto, pairing or sync code.",
        },
      ],
    },
  },
  {
    files: ["desktop/src/hub/**/*.{ts,tsx}"],
    ignores: ["desktop/src/hub/embedded-relay.ts"],
    spec: {
      names: banNames(
        ["electron", "react", "react-dom"],
        "The hub core is plain Node: the Electron app and the headless CLI host the same code.",
      ),
      // The HubApi contract lives in the hub (hub/api/): the layers above import it, never the reverse.
      patterns: [
        noApps(),
        {
          group: ["**/renderer/**", "**/main/**", "**/preload/**"],
          message: "The hub never imports the Electron layers above it.",
        },
      ],
    },
  },
  {
    // The HubApi contract is seen by the renderer too (tsconfig.web.json): pure, no Node code.
    files: ["desktop/src/hub/api/**/*.{ts,tsx}"],
    spec: {
      names: [
        ...banNames(nodeBuiltins, "hub/api is included by the renderer's tsconfig: no Node built-ins."),
        ...banNames(
          ["electron", "react", "react-dom", ...nodeOnlyPackages],
          "hub/api is the pure HubApi contract: types and plain functions only.",
        ),
      ],
      patterns: [
        noApps(),
        {
          group: ["../*", "!../api", "!../api/*"],
          message: "hub/api imports only shared and itself: the renderer sees this folder.",
        },
      ],
    },
  },
  {
    // The one documented exception: the embedded relay runs in-process with the hub.
    files: ["desktop/src/hub/embedded-relay.ts"],
    spec: {
      names: banNames(["electron"], "The hub core is plain Node."),
      patterns: [{ group: ["@neural-link/mobile", "@neural-link/mobile/*"], message: "Apps never import each other." }],
    },
  },
  {
    files: ["desktop/src/main/**/*.{ts,tsx}", "desktop/src/preload/**/*.{ts,tsx}"],
    spec: {
      patterns: [noApps(), { group: ["**/renderer/**"], message: "main and preload never import the renderer." }],
    },
  },
  {
    files: ["desktop/src/renderer/**/*.{ts,tsx}"],
    spec: {
      names: [
        ...banNames(nodeBuiltins, "The renderer is a sandboxed web page: no Node built-ins."),
        ...banNames(["electron", ...nodeOnlyPackages], "The renderer reaches the hub only through window.hub."),
      ],
      patterns: [
        noApps(undefined, true),
        {
          group: ["**/hub/**", "**/main/**", "!**/hub/api", "!**/hub/api/*", "!**/preload/*.d.ts"],
          message: "The renderer sees only the hub's API contract (hub/api) and the preload's types.",
        },
      ],
    },
  },
  {
    files: ["mobile/src/**/*.{ts,tsx}"],
    spec: {
      names: [
        ...banNames(nodeBuiltins, "The phone app runs in a browser: no Node built-ins."),
        ...banNames(["electron", ...nodeOnlyPackages], "The phone app runs in a browser."),
      ],
      patterns: [
        noApps(undefined, true),
        { group: ["**/desktop/**", "**/relay/**"], message: "Apps never import each other." },
      ],
    },
  },
];

export const importRules = areas.flatMap(({ files, ignores = [], spec }) => [
  { files, ignores, rules: restrict(spec) },
  // A later block wins for the files it matches: production files get the area's rules plus these.
  {
    files,
    ignores: [...ignores, ...TEST_FILES],
    rules: restrict({
      names: [...(spec.names ?? []), ...testRunners],
      patterns: [...(spec.patterns ?? []), noTestSupport],
    }),
  },
]);
