/**
 * A phone terminal for the flow tests and the terminal benchmark: the phone app's
 * own TerminalSession (src/terminal) over a TestPhone's endpoint (a client written
 * with `shared` alone), drawing into a headless xterm, so that what is measured and
 * asserted includes what a phone does (open, parse, draw, ack).
 */
import { AppType, termOutputText } from "@neural-link/shared/app";
import xtermHeadless from "@xterm/headless";
import type { TestPhone } from "../../desktop/test/test-phone";
import type { LinkStatus, SendOptions } from "../src/connection/hub-link";
import { type TerminalLink, type TerminalScreen, TerminalSession } from "../src/terminal/terminal-session";

const { Terminal } = xtermHeadless;
type Xterm = InstanceType<typeof Terminal>;

/** The visible rows of a terminal, trailing blanks trimmed: what the person sees. */
export function screenText(term: Xterm): string {
  const buf = term.buffer.active;
  const rows: string[] = [];
  for (let y = 0; y < term.rows; y++) rows.push(buf.getLine(buf.baseY + y)?.translateToString(true) ?? "");
  return rows.join("\n");
}

/** Resolves once everything written so far is parsed. */
export function settled(term: Xterm): Promise<void> {
  return new Promise((resolve) => term.write("", resolve));
}

export function headless(cols: number, rows: number): Xterm {
  return new Terminal({ cols, rows, scrollback: 1000, allowProposedApi: true });
}

export interface Viewer {
  session: TerminalSession;
  xterm: Xterm;
  term: string;
  /**
   * Types `data` on the phone's keyboard: into xterm, whose onData hands it to the session, as the phone app's
   * TerminalScreen does (xterm then draws the echo that follows without waiting for a timer).
   */
  type(data: string): void;
  /** Called after every piece of output is drawn. */
  onDrawn(listener: () => void): () => void;
  /** A slow phone: output is received but not drawn (so not acked) until `release`. */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

/**
 * Opens a terminal from the phone (approved at once by the rig) and attaches the
 * phone app's session to it. `draw: false` gives a phone whose screen only counts
 * (the throughput row: a phone that keeps up).
 */
export async function openViewer(
  phone: TestPhone,
  size: { cols: number; rows: number },
  opts: { draw?: boolean; flow?: boolean; bytes?: boolean } = {},
): Promise<Viewer> {
  const hub = phone.hub!;
  const xterm = headless(size.cols, size.rows);
  const drawnListeners = new Set<() => void>();
  const drawn = () => {
    for (const l of drawnListeners) l();
  };
  const draw = opts.draw ?? true;
  let held: { data: string | Uint8Array; done?: () => void }[] | null = null;
  const toXterm = (data: string | Uint8Array, done?: () => void) =>
    xterm.write(data, () => {
      done?.();
      drawn();
    });
  // As the phone app's screen, xterm takes output as bytes unless told otherwise.
  const bytes = opts.bytes ?? true;
  const screen: TerminalScreen = draw
    ? {
        reset: () => xterm.reset(),
        write: (data, done) => (held ? void held.push({ data, done }) : toXterm(data, done)),
        bytes,
      }
    : {
        reset: () => undefined,
        write: (_data, done) => {
          done?.();
          drawn();
        },
        bytes,
      };
  const status: LinkStatus = { state: "online", peerOnline: true, epoch: 1 };
  const link: TerminalLink = {
    call: (method, params) => phone.rpc!.call(method, params),
    ...(opts.flow === false
      ? {}
      : {
          send: async (t: string, d: unknown, qos: 0 | 1, opts?: SendOptions) => {
            await phone.endpoint.send(hub, t, d, qos, opts);
          },
          status: () => status,
        }),
  };
  const session = new TerminalSession(link, screen);
  const off = phone.endpoint.on("message", (m) => {
    if (m.from === hub && (m.t === AppType.TERM_OUTPUT || m.t === AppType.TERM_EXIT || m.t === AppType.TASK_UPDATED))
      session.handlePush({ t: m.t, d: m.d });
  });
  const typed = xterm.onData((d) => void session.input(d));
  let closed = false;
  const term = await phone.openTerminal(size);
  await session.attach(size.cols, size.rows, term);
  return {
    session,
    xterm,
    term,
    type: (data) => xterm.input(data, true),
    hold: () => void (held ??= []),
    release: () => {
      const waiting = held ?? [];
      held = null;
      for (const w of waiting) toXterm(w.data, w.done);
    },
    onDrawn: (l) => {
      drawnListeners.add(l);
      return () => drawnListeners.delete(l);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      off();
      typed.dispose();
      await session.close();
      xterm.dispose();
    },
  };
}

/** What a phone that keeps up counted of one `cat` (see catCounted). */
export interface CatCount {
  /** Output received, from the command line's echo to the end marker: bytes, or characters for a text phone. */
  units: number;
  frames: number;
  /** `seq` numbers skipped (output the hub dropped for this phone). */
  gaps: number;
  ms: number;
}

/**
 * `cat file` in a new terminal of a phone that only counts what arrives (it keeps up and acks, it does
 * not draw), until the shell prints an end marker; `ms` from typing the command to the marker. `bytes`:
 * the output comes as UTF-8 bytes (the phone app's way), or as JSON text.
 */
export async function catCounted(phone: TestPhone, file: string, bytes = true): Promise<CatCount> {
  const v = await openViewer(phone, { cols: 120, rows: 40 }, { draw: false, bytes });
  const end = "__NL_CAT_END__";
  let units = 0;
  let frames = 0;
  let gaps = 0;
  let lastSeq = -1;
  let tail = "";
  const done = new Promise<void>((resolve) => {
    const off = phone.endpoint.on("message", (m) => {
      phone.inbox.length = 0; // a long output would fill the test phone's inbox
      if (m.t !== AppType.TERM_OUTPUT) return;
      const d = m.d as { term: string; seq: number; data: string | Uint8Array };
      if (d.term !== v.term) return;
      frames++;
      if (lastSeq >= 0 && d.seq > lastSeq + 1) gaps += d.seq - lastSeq - 1;
      lastSeq = d.seq;
      units += d.data.length;
      // The marker is ASCII: the last 64 bytes hold it whole, whatever they cut.
      const last = termOutputText(d.data.slice(-64));
      tail = (tail + last).slice(-64);
      if (tail.includes(end)) {
        off();
        resolve();
      }
    });
  });
  const start = performance.now();
  // The marker is assembled by the shell, so the echoed command line does not contain it.
  await v.session.input(`cat '${file}'; printf '%s%s\\n' __NL_CAT_ END__\r`);
  await done;
  const ms = performance.now() - start;
  await v.close();
  return { units, frames, gaps, ms };
}
