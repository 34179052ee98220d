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
  /**
   * Files up to this size are kept in the phone's IndexedDB while they are sent, so that an upload cut off by a
   * reload, or by the browser closing the app in the background, goes on when the app opens again. Larger ones
   * are not copied into the browser's storage (a second copy of a long video); they are lost with the page.
   */
  resumableUploadMaxBytes: 512 * 1024 * 1024,
  /** Downloads up to this size keep their bytes in IndexedDB as they arrive, so that a reload goes on from them. */
  resumableDownloadMaxBytes: 512 * 1024 * 1024,
  /** A download's bytes are kept in pieces of this size: a reload loses at most the piece being gathered. */
  downloadKeepPieceBytes: 1024 * 1024,
} as const;
