/**
 * The Files screen's numbers (docs/mobile.md, "Files"). How fast bytes go and
 * how large a file may be are the desktop's settings (it answers `files.put`
 * with its chunk and window sizes); these only shape the phone's screen.
 */
export const FILES_SETTINGS = {
  /** Transfers listed on the Files screen (newest first). */
  transfersShown: 20,
  /** Least time between two redraws of a progress bar, ms. */
  progressRedrawMs: 100,
} as const;
