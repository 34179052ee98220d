import { createStore, del, get, keys, set, setMany, type UseStore } from "idb-keyval";

/**
 * The little key-value storage the phone app needs. IndexedDB in the
 * browser; a Map in unit tests, which run in Node without a DOM.
 */
export interface KeyValue {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  /** Several keys in one write (one IndexedDB transaction). */
  setMany(entries: [string, unknown][]): Promise<void>;
  del(key: string): Promise<void>;
  /** Every stored key that starts with `prefix`. */
  keys(prefix: string): Promise<string[]>;
}

/** IndexedDB database and object store names. Changing them forgets every pairing. */
export const IDB_DATABASE = "neural-link";
export const IDB_STORE = "kv";

/** Key-value storage in this origin's IndexedDB (never sent anywhere). */
export function idbKeyValue(database = IDB_DATABASE, store = IDB_STORE): KeyValue {
  const handle: UseStore = createStore(database, store);
  return {
    get: <T>(key: string) => get<T>(key, handle),
    set: (key, value) => set(key, value, handle),
    setMany: (entries) => setMany(entries, handle),
    del: (key) => del(key, handle),
    keys: async (prefix) =>
      (await keys(handle)).filter((k): k is string => typeof k === "string" && k.startsWith(prefix)),
  };
}

/** In-memory storage; values are structured-cloned like IndexedDB would. */
export function memoryKeyValue(): KeyValue {
  const map = new Map<string, unknown>();
  return {
    get: async <T>(key: string) => (map.has(key) ? (structuredClone(map.get(key)) as T) : undefined),
    set: async (key, value) => void map.set(key, structuredClone(value)),
    setMany: async (entries) => entries.forEach(([key, value]) => map.set(key, structuredClone(value))),
    del: async (key) => void map.delete(key),
    keys: async (prefix) => [...map.keys()].filter((k) => k.startsWith(prefix)),
  };
}
