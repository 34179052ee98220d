// Errors are never swallowed silently (issue 15 point 6): a `.catch` handler in
// production code either handles the error or logs it with context. Where
// ignoring is right (best-effort cleanup, a lost qos 0 ack), it still logs at
// debug, with a comment saying why. An empty `catch {}` block is refused by
// ESLint's own no-empty (recommended); one that holds only a comment is a
// written decision and is allowed. Kept in its own file so
// lint/error-rules.test.ts can prove that the rule fires.

/** `.catch(handler)` whose handler is an arrow function. */
const CATCH_ARROW = "CallExpression[callee.property.name='catch'] > ArrowFunctionExpression.arguments";

const MESSAGE =
  "Do not swallow an error: handle it, or log it with context (at debug, with a comment, when ignoring it is right).";

export const errorRules = [
  {
    files: ["{shared,relay,desktop,mobile,ui}/src/**/*.{ts,tsx}"],
    ignores: ["**/*.test.{ts,tsx}"],
    rules: {
      "no-restricted-syntax": [
        "error",
        // .catch(() => undefined), .catch(() => null) ... as a statement's whole effect: `() => undefined` / `() =>
        // void 0`.
        { selector: `${CATCH_ARROW}[body.type='Identifier'][body.name='undefined']`, message: MESSAGE },
        { selector: `${CATCH_ARROW}[body.type='UnaryExpression'][body.operator='void']`, message: MESSAGE },
        // .catch(() => {}) and .catch(() => { /* only a comment */ })
        { selector: `${CATCH_ARROW}[body.type='BlockStatement'][body.body.length=0]`, message: MESSAGE },
        // .catch(noop)-style: a handler named for doing nothing.
        {
          selector:
            "CallExpression[callee.property.name='catch'] > Identifier.arguments[name=/^(noop|ignore|nothing)$/]",
          message: MESSAGE,
        },
      ],
    },
  },
];
