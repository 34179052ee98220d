/**
 * SIGINT and SIGTERM, heard from the first moment of a hub's start.
 *
 * Until a handler is installed, Node's default action for either signal ends the process at once: no store closed, no
 * lock released, exit status "killed". A signal that arrives while the hub is still starting (opening its store, its
 * embedded relay) is therefore remembered, and the hub stops in order as soon as it can. A second signal means the
 * person does not want to wait: the process exits straight away.
 */
export interface StopSignal {
  /** Resolves at the first SIGINT or SIGTERM, including one that arrived before this was awaited. */
  readonly requested: Promise<NodeJS.Signals>;
  /** Whether a signal has arrived. */
  readonly isRequested: () => boolean;
  /** Removes the handlers (the process's default action applies again). */
  dispose(): void;
}

/** Installs the handlers now. `onImpatient` runs at a second signal; it should end the process. */
export function listenForStop(onImpatient: (signal: NodeJS.Signals) => void): StopSignal {
  let seen: NodeJS.Signals | null = null;
  let resolve!: (signal: NodeJS.Signals) => void;
  const requested = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const onSignal = (signal: NodeJS.Signals) => {
    if (seen) return onImpatient(signal);
    seen = signal;
    resolve(signal);
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];
  for (const s of signals) process.on(s, onSignal);
  return {
    requested,
    isRequested: () => seen !== null,
    dispose: () => {
      for (const s of signals) process.off(s, onSignal);
    },
  };
}
