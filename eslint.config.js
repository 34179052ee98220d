import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { errorRules } from "./lint/error-rules.js";
import { importRules } from "./lint/import-rules.js";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "**/out/**", "artifacts/**", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: "module" },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "error",
    },
  },
  {
    // Programs that talk to a person on a terminal, and tools, may print.
    files: [
      "bench/**",
      "lint/**",
      "**/cli/**",
      "**/*.test.{ts,tsx}",
      "**/e2e/**",
      "*.config.{js,ts}",
      "**/*.config.{js,ts}",
    ],
    rules: { "no-console": "off" },
  },
  ...importRules,
  ...errorRules,
);
