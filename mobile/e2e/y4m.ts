import { writeFileSync } from "node:fs";
import QRCode from "qrcode";

/** Frame size of the fake camera: a common webcam resolution. */
export const CAMERA_WIDTH = 640;
export const CAMERA_HEIGHT = 480;
/** White border around the code, in modules, as the QR standard asks for. */
const QUIET_ZONE = 4;

/**
 * Renders `text` as a QR code into the luma plane of a grey camera frame,
 * the way the desktop shows it: dark modules on white, centred, as large as fits.
 */
export function qrFrame(text: string, width = CAMERA_WIDTH, height = CAMERA_HEIGHT): Uint8Array {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const cells = modules.size + 2 * QUIET_ZONE;
  const scale = Math.floor(Math.min(width, height) / cells);
  if (scale < 2) throw new Error(`a ${modules.size}-module code does not fit a ${width}x${height} frame`);
  const left = Math.floor((width - cells * scale) / 2);
  const top = Math.floor((height - cells * scale) / 2);
  const luma = new Uint8Array(width * height).fill(200); // the room around the screen
  for (let y = 0; y < cells * scale; y++) {
    for (let x = 0; x < cells * scale; x++) {
      const mx = Math.floor(x / scale) - QUIET_ZONE;
      const my = Math.floor(y / scale) - QUIET_ZONE;
      const inside = mx >= 0 && my >= 0 && mx < modules.size && my < modules.size;
      const dark = inside && modules.get(my, mx) === 1;
      luma[(top + y) * width + left + x] = dark ? 16 : 235;
    }
  }
  return luma;
}

/**
 * Writes a Y4M video (what Chromium's --use-file-for-fake-video-capture
 * reads) holding `frames` copies of a greyscale picture: 4:2:0 with neutral chroma.
 */
export function writeY4m(
  file: string,
  luma: Uint8Array,
  width = CAMERA_WIDTH,
  height = CAMERA_HEIGHT,
  frames = 3,
): void {
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`, "ascii");
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n", "ascii"), Buffer.from(luma), chroma]);
  writeFileSync(file, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
}
