import { homedir } from "node:os";
import { TERM_COLS_MAX, TERM_INPUT_MAX, TERM_ROWS_MAX } from "@neural-link/shared/app";

/**
 * Executor settings, each a named value with its default. Callers override any of
 * them with a partial object; `resolveExecutorSettings` fills in the rest.
 */
export interface ExecutorSettings {
  /**
   * Shell that runs one-shot task commands as `<taskShell> -c <command>`. /bin/sh rather
   * than `bash -lc`: it exists everywhere, starts fast, and does not source login files
   * whose side effects (prompts, version managers, `exec zsh`) would change what an
   * approved command does.
   */
  taskShell: string;
  /** Shell started for interactive terminals (the user's login shell by default). */
  terminalShell: string;
  /** Arguments for the terminal shell (`-l` makes it a login shell, as a terminal app would). */
  terminalShellArgs: string[];
  /** Working directory when a command names none: the user's home. */
  defaultCwd: string;
  /** A task's time limit when the request names none, ms (10 minutes). */
  defaultTimeoutMs: number;
  /** The longest time limit a request may ask for, ms (24 hours). */
  maxTimeoutMs: number;
  /** Time between SIGTERM and SIGKILL when a task or terminal is ended, ms. */
  killGraceMs: number;
  /** Output a one-shot task keeps in memory, in UTF-16 code units (>= 64 KiB of output). */
  taskOutputKeep: number;
  /** Pty size for one-shot tasks. */
  taskCols: number;
  taskRows: number;
  /** Scrollback kept per interactive terminal, in UTF-16 code units (256 Ki). */
  scrollbackKeep: number;
  /** Open interactive terminals allowed per device. */
  maxTerminalsPerDevice: number;
  /** Largest single input write to a terminal, in code units (the protocol's limit). */
  maxInputChars: number;
  /** Largest terminal size accepted (the protocol's limits). */
  maxCols: number;
  maxRows: number;
  /** How long an exited terminal's scrollback stays fetchable before it is dropped, ms. */
  exitedRetentionMs: number;
}

export function defaultExecutorSettings(): ExecutorSettings {
  return {
    taskShell: "/bin/sh",
    terminalShell: process.env.SHELL || "/bin/sh",
    terminalShellArgs: [],
    defaultCwd: homedir(),
    defaultTimeoutMs: 10 * 60_000,
    maxTimeoutMs: 24 * 60 * 60_000,
    killGraceMs: 3000,
    taskOutputKeep: 64 * 1024,
    taskCols: 120,
    taskRows: 40,
    scrollbackKeep: 256 * 1024,
    maxTerminalsPerDevice: 4,
    maxInputChars: TERM_INPUT_MAX,
    maxCols: TERM_COLS_MAX,
    maxRows: TERM_ROWS_MAX,
    exitedRetentionMs: 60_000,
  };
}

export function resolveExecutorSettings(overrides: Partial<ExecutorSettings> = {}): ExecutorSettings {
  return { ...defaultExecutorSettings(), ...overrides };
}
