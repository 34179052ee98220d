/**
 * A phone terminal for the flow tests and the terminal benchmark: the phone app's
 * own TerminalSession (src/terminal) over a TestPhone's endpoint (a client written
 * with `shared` alone), drawing into a headless xterm, so that what is measured and
 * asserted includes what a phone does (open, parse, draw, ack).
 */
import { AppType } from "@neural-link/shared/app";
import xtermHeadless from "@xterm/headless";
import type { TestPhone } from "../../desktop/test/test-phone";
import type { LinkStatus } from "../src/connection/hub-link";
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
  opts: { draw?: boolean; flow?: boolean } = {},
): Promise<Viewer> {
  const hub = phone.hub!;
  const xterm = headless(size.cols, size.rows);
  const drawnListeners = new Set<() => void>();
  const drawn = () => {
    for (const l of drawnListeners) l();
  };
  const draw = opts.draw ?? true;
  let held: { data: string; done?: () => void }[] | null = null;
  const toXterm = (data: string, done?: () => void) =>
    xterm.write(data, () => {
      done?.();
      drawn();
    });
  const screen: TerminalScreen = draw
    ? {
        reset: () => xterm.reset(),
        write: (data: string, done?: () => void) => (held ? void held.push({ data, done }) : toXterm(data, done)),
      }
    : {
        reset: () => undefined,
        write: (_data: string, done?: () => void) => {
          done?.();
          drawn();
        },
      };
  const status: LinkStatus = { state: "online", peerOnline: true, epoch: 1 };
  const link: TerminalLink = {
    call: (method, params) => phone.rpc!.call(method, params),
    ...(opts.flow === false
      ? {}
      : {
          send: async (t: string, d: unknown, qos: 0 | 1) => {
            await phone.endpoint.send(hub, t, d, qos);
          },
          status: () => status,
        }),
  };
  const session = new TerminalSession(link, screen);
  const off = phone.endpoint.on("message", (m) => {
    if (m.from === hub && (m.t === AppType.TERM_OUTPUT || m.t === AppType.TERM_EXIT || m.t === AppType.TASK_UPDATED))
      session.handlePush({ t: m.t, d: m.d });
  });
  let closed = false;
  const term = await phone.openTerminal(size);
  await session.attach(size.cols, size.rows, term);
  return {
    session,
    xterm,
    term,
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
      await session.close();
      xterm.dispose();
    },
  };
}
