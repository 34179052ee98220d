// shared/ keeps timer handles as `unknown` (its own runtime-globals.d.ts
// declares the timers that way, since Node and browsers disagree on the
// handle type). The DOM lib's clearTimeout/clearInterval take only
// `number | undefined`, so shared/src/client would not type-check inside
// this project. Browsers accept any value there (anything not a live handle
// is ignored), so this overload states what the platform really does.
declare function clearTimeout(id: unknown): void;
declare function clearInterval(id: unknown): void;
