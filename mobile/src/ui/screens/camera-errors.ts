/** Puts a getUserMedia failure in words a person can act on. */
export function describeCameraError(e: unknown): string {
  const name = e instanceof DOMException || e instanceof Error ? e.name : "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return "Camera access was refused. Allow the camera for this site in the browser's settings, or paste the pairing text instead.";
    case "NotFoundError":
    case "OverconstrainedError":
      return "No camera was found on this device. Paste the pairing text instead.";
    case "NotReadableError":
    case "AbortError":
      return "The camera is busy or could not start. Close other apps using it, or paste the pairing text instead.";
    default:
      return "The camera could not be started. Paste the pairing text instead.";
  }
}
