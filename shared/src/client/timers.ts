/**
 * Timer handles as whatever runtime compiles us defines them (a number in
 * browsers, a Timeout object in Node): shared code only stores and clears them.
 */
export type TimeoutHandle = ReturnType<typeof setTimeout>;
export type IntervalHandle = ReturnType<typeof setInterval>;
