// The few globals that every runtime shared/ runs on (browsers, Node >= 20,
// Electron) provides. Declared here instead of pulling in the DOM or Node
// libs, so that shared/ cannot reach for anything beyond them by accident.
// Only shared's own tsconfig sees this file; apps use their runtime's lib.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
declare const crypto: { getRandomValues<T extends ArrayBufferView>(array: T): T };
declare function setTimeout(handler: () => void, ms?: number): unknown;
declare function clearTimeout(id: unknown): void;
declare function setInterval(handler: () => void, ms?: number): unknown;
declare function clearInterval(id: unknown): void;
declare const queueMicrotask: (callback: () => void) => void;
declare class URL {
  constructor(url: string, base?: string);
  readonly protocol: string;
  readonly host: string;
  readonly pathname: string;
  toString(): string;
}
