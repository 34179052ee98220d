import type { ClientLog } from "./log";

/** Removes the listener it was returned for. */
export type Unsubscribe = () => void;

/**
 * A small typed event emitter, the one of this codebase (the hub's events,
 * the client's, and both `window.hub` transports of the desktop UI). A
 * listener that throws does not stop the others: one broken UI callback must
 * not break the connection. Its error is logged when a log is given;
 * without one (browser code) it is rethrown on its own, as an uncaught
 * error the page reports, never swallowed.
 *
 * @example
 * const events = new Emitter<{ ready: { at: number } }>(log);
 * const off = events.on("ready", (e) => show(e.at));
 * events.emit("ready", { at: Date.now() });
 */
export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  constructor(private readonly log?: ClientLog) {}

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): Unsubscribe {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => {
      set.delete(listener as (payload: never) => void);
    };
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (payload: Events[K]) => void)(payload);
      } catch (err) {
        if (this.log) this.log.error({ err, event: String(event) }, "event listener threw");
        else
          queueMicrotask(() => {
            throw err;
          });
      }
    }
  }
}
