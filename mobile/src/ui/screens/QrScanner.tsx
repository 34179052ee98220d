import jsQR from "jsqr";
import { useEffect, useRef, useState } from "react";
import { MOBILE_SETTINGS } from "../../settings";
import { describeCameraError } from "./camera-errors";
import { logFailure } from "@neural-link/ui/log";

interface Props {
  /** Called once with the text of the first pairing QR code seen. */
  onResult(text: string): void;
  onCancel(): void;
}

const PAIR_PREFIX = "nlink://pair?";

/**
 * Reads the desktop's QR code with the camera: frames are drawn to a
 * canvas, scaled down, and decoded with jsQR a few times a second.
 */
export function QrScanner({ onResult, onCancel }: Props) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [hint, setHint] = useState("Starting the camera…");

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    let done = false;
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });

    const scan = () => {
      const video = videoRef.current;
      if (done || !video || !context || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0)
        return;
      const scale = Math.min(1, MOBILE_SETTINGS.qrScanMaxSide / Math.max(video.videoWidth, video.videoHeight));
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = jsQR(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" });
      if (!code) return;
      if (!code.data.startsWith(PAIR_PREFIX)) {
        setHint("That QR code is not a Neural Link pairing code.");
        return;
      }
      done = true;
      onResult(code.data);
    };

    (async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        setError(
          "This browser gives no camera access here (the app must be opened over HTTPS). Paste the pairing text instead.",
        );
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      } catch (e) {
        setError(describeCameraError(e));
        return;
      }
      if (done) return stream.getTracks().forEach((t) => t.stop());
      const video = videoRef.current;
      if (!video) return;
      video.srcObject = stream;
      // Autoplay may be refused until a tap; the frames are still read from the stream for scanning.
      await video.play().catch(logFailure("camera preview did not start playing", {}, "debug"));
      setHint("Point the camera at the QR code on the desktop.");
      timer = setInterval(scan, 1000 / MOBILE_SETTINGS.qrScansPerSecond);
    })();

    return () => {
      done = true;
      clearInterval(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [onResult]);

  return (
    <section className="scanner" aria-label="Scan the pairing QR code">
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : (
        <>
          <video ref={videoRef} className="scanner-video" muted playsInline aria-label="Camera view" />
          <p role="status" aria-live="polite">
            {hint}
          </p>
        </>
      )}
      <button type="button" onClick={onCancel}>
        Stop scanning
      </button>
    </section>
  );
}
