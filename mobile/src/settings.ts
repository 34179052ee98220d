/**
 * Every number the phone app uses that a person could notice, in one place.
 * Documented in docs/mobile.md; change them here, not at the point of use.
 */
export const MOBILE_SETTINGS = {
  /** Messages fetched per page of chat history (and per search). */
  chatPageSize: 30,
  /** Past tasks fetched per page of task history. */
  taskPageSize: 20,
  /** How long an RPC call waits for the hub's answer before it is reported as failed. */
  rpcTimeoutMs: 20_000,
  /** How long pairing waits to reach and authenticate at the QR code's relay. */
  pairConnectTimeoutMs: 15_000,
  /** How long pairing waits for the desktop's user to accept, once the request is sent. */
  pairAnswerTimeoutMs: 3 * 60_000,
  /** Camera frames scanned for a QR code per second: enough to feel instant, light on a phone's battery. */
  qrScansPerSecond: 8,
  /** Largest side, in pixels, a camera frame is scaled down to before QR decoding. */
  qrScanMaxSide: 640,
  /** Scrollback lines the terminal keeps. */
  terminalScrollback: 5000,
  /** Terminal font size in CSS pixels: readable on a 360 px wide screen. */
  terminalFontSize: 13,
  /**
   * Smallest and largest font size the A−/A+ buttons reach, and their step (CSS px); the choice is kept on the phone.
   */
  terminalFontSizeMin: 8,
  terminalFontSizeMax: 24,
  terminalFontSizeStep: 1,
  /** Lines of the terminal (scrollback included, the newest) shown as text to select and copy. */
  terminalSelectLines: 500,
  /**
   * The list of shells (it names what runs in each) is refetched once the shown shell's output has paused this
   * long, ms: typing a command and its end both print something.
   */
  terminalListQuietMs: 300,
  /** ... and at least this often while output keeps coming (a flood), ms. */
  terminalListBusyMs: 2000,
  /** ... and this often while nothing is printed at all (a program started by another viewer), ms. */
  terminalListIdleRefreshMs: 30_000,
  /** Quiet time after the last screen resize before the terminal's new size is sent to the hub. */
  terminalResizeDebounceMs: 150,
  /** Longest task output shown inline, in characters; the rest is trimmed from the top. */
  taskOutputShownChars: 64 * 1024,
  /** Past commands shown under "Recent commands" in the Tasks screen (`history.list` limit). */
  historyShown: 30,
  /** Earlier working directories offered in the Tasks screen's cwd field. */
  recentCwds: 6,
  /** How often live times (an approval's time left, a running task's duration) are redrawn. */
  clockTickMs: 1000,
  /**
   * Message length (characters) from which the composer shows its counter; the limit itself is shared's
   * MESSAGE_TEXT_MAX.
   */
  composerCounterFrom: 1000,
  /** How long Approve or Reject tapped on a notification waits for the app it opened to start, ms. */
  notificationActionWaitMs: 30_000,
  /** How long the phone remembers that an approval was answered, so a late copy of the question says so, ms. */
  answeredKeepMs: 2 * 24 * 3600_000,
  /** How long the app looks for the card of a task a notification opened, to scroll to it, ms. */
  notifiedTaskFocusMs: 5000,
} as const;

export type MobileSettings = typeof MOBILE_SETTINGS;
