/**
 * Numbers of the phone's shared documents (docs/notes.md); change them
 * here, not at the point of use.
 */
export const PHONE_NOTES_SETTINGS = {
  /**
   * Quiet time after the last change before the document is written to
   * IndexedDB. Short enough that closing the tab loses at most a moment of
   * typing (the hub has it anyway once online); long enough not to rewrite
   * the whole document on every keystroke.
   */
  cacheWriteDelayMs: 400,
} as const;
