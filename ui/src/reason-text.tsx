import { Fragment } from "react";

/** A piece of a reason: plain words, or a command or option written between backticks. */
export interface ReasonPart {
  code: boolean;
  text: string;
}

/**
 * Splits a risk reason at its backticks ("`rm` deletes files ... (-f)"): the
 * policy marks program names and options that way. A backtick without its
 * pair stays as written.
 */
export function reasonParts(reason: string): ReasonPart[] {
  const pieces = reason.split("`");
  if (pieces.length % 2 === 0) return [{ code: false, text: reason }];
  return pieces.map((text, i) => ({ code: i % 2 === 1, text })).filter((p) => p.text !== "");
}

/** A risk reason as the person reads it: names and options in code type, no backticks. */
export function ReasonText({ reason }: { reason: string }) {
  return (
    <>
      {reasonParts(reason).map((part, i) =>
        part.code ? <code key={i}>{part.text}</code> : <Fragment key={i}>{part.text}</Fragment>,
      )}
    </>
  );
}

/** Several reasons on one line, separated by semicolons. */
export function ReasonsInline({ reasons }: { reasons: readonly string[] }) {
  return (
    <>
      {reasons.map((reason, i) => (
        <Fragment key={reason}>
          {i > 0 && "; "}
          <ReasonText reason={reason} />
        </Fragment>
      ))}
    </>
  );
}
