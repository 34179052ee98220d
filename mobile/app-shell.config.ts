import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import { build, type Plugin, type Rollup } from "vite";

/**
 * Build-time pieces of the installable app, as a Vite plugin:
 * - PNG icons (192 and 512 px, plus a maskable one) drawn here, so no binary sits in git;
 * - the service worker's list of files to keep (the "app shell") and a version
 *   that changes whenever any of them does.
 */

/** The icon's colours: the app's accent and white. */
const ICON_BACKGROUND = [0x2f, 0x5b, 0xd8] as const;
const ICON_FOREGROUND = [0xff, 0xff, 0xff] as const;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes RGB pixels (row-major, 3 bytes each) as a PNG. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", new Uint8Array()),
  ]);
}

/**
 * The icon: two linked rings on the accent colour. `padding` shrinks the
 * drawing for the maskable variant, whose edges a launcher may crop.
 */
export function drawIcon(size: number, padding = 0): Buffer {
  const rgb = new Uint8Array(size * size * 3);
  const inner = size * (1 - 2 * padding);
  const ring = (cx: number, cy: number, x: number, y: number) => {
    const d = Math.hypot(x - cx, y - cy) / inner;
    return d > 0.17 && d < 0.24;
  };
  const c = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const on = ring(c - inner * 0.12, c, x + 0.5, y + 0.5) || ring(c + inner * 0.12, c, x + 0.5, y + 0.5);
      rgb.set(on ? ICON_FOREGROUND : ICON_BACKGROUND, (y * size + x) * 3);
    }
  }
  return encodePng(size, size, rgb);
}

/** Files in public/ that belong to the shell too. */
const PUBLIC_SHELL = ["manifest.webmanifest", "icon.svg"];

/**
 * The service worker as one classic script: browsers run `sw.js` as a classic worker,
 * which cannot `import` the chunks Rollup would share with the app, so it is bundled
 * on its own (its code imports shared's schemas and idb-keyval).
 */
async function bundleServiceWorker(entry: string): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: "warn",
    build: {
      write: false,
      emptyOutDir: false,
      target: "es2022",
      minify: true,
      lib: { entry, formats: ["iife"], name: "NeuralLinkWorker", fileName: () => "sw.js" },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  const chunk = outputs.flatMap((o) => o.output).find((f): f is Rollup.OutputChunk => f.type === "chunk");
  if (!chunk) throw new Error("the service worker did not bundle");
  return chunk.code;
}

/** `swEntry`: the service worker's source, bundled on its own into `sw.js`. */
export function appShell(swEntry: string): Plugin {
  return {
    name: "neural-link-app-shell",
    apply: "build",
    async generateBundle(_options, bundle) {
      const icons = {
        "icon-192.png": drawIcon(192),
        "icon-512.png": drawIcon(512),
        "icon-maskable-512.png": drawIcon(512, 0.1),
      };
      for (const [fileName, source] of Object.entries(icons)) this.emitFile({ type: "asset", fileName, source });
      const files = [
        ...Object.keys(bundle).filter((f) => !f.endsWith(".map")),
        ...Object.keys(icons),
        ...PUBLIC_SHELL,
      ].sort();
      const hash = createHash("sha256");
      for (const f of files) {
        const item = bundle[f];
        hash.update(f);
        if (item) hash.update(item.type === "chunk" ? item.code : item.source);
      }
      const sw = await bundleServiceWorker(swEntry);
      const source = sw
        .replaceAll("__APP_SHELL__", JSON.stringify(files))
        .replaceAll("__SHELL_VERSION__", JSON.stringify(hash.digest("hex").slice(0, 16)));
      this.emitFile({ type: "asset", fileName: "sw.js", source });
    },
  };
}
