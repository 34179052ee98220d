/**
 * Keeps the accept order of frames forwarded to other nodes. A qos 1 frame
 * is forwarded only after its commit (so that the recipient's ACK, handled
 * on another node, can never delete the row before it exists); qos 0 frames
 * to the same recipient accepted after it wait behind it in that
 * recipient's lane, so one sender's frames arrive in the order the relay
 * accepted them (docs/protocol.md section 5). With no qos 1 frame waiting,
 * a qos 0 frame goes out at once: the hot path has no queue.
 */
import type { RoutedFrame } from "../gateway/routed-frame";

interface Entry {
  frame: RoutedFrame;
  /** Committed (qos 1) or needing no commit (qos 0). */
  ready: boolean;
  cancelled: boolean;
}

export interface LaneTicket {
  /** The frame is committed: forward it (and whatever waited behind it). */
  release(): void;
  /** The frame was not stored: forget it, let the others go. */
  cancel(): void;
}

export class ForwardLanes {
  private readonly lanes = new Map<string, Entry[]>();

  /** `send` forwards one frame to wherever `to` is connected now. */
  constructor(private readonly send: (to: string, frame: RoutedFrame) => void) {}

  /** Frames waiting in all lanes (for tests and metrics). */
  get waiting(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.length;
    return n;
  }

  /** Forwards a frame that needs no commit, behind any earlier frame still waiting. */
  push(to: string, frame: RoutedFrame): void {
    const lane = this.lanes.get(to);
    if (lane === undefined) return this.send(to, frame);
    lane.push({ frame, ready: true, cancelled: false });
  }

  /** Reserves a frame's place; it goes out on `release`. */
  reserve(to: string, frame: RoutedFrame): LaneTicket {
    let lane = this.lanes.get(to);
    if (lane === undefined) {
      lane = [];
      this.lanes.set(to, lane);
    }
    const entry: Entry = { frame, ready: false, cancelled: false };
    lane.push(entry);
    return {
      release: () => {
        entry.ready = true;
        this.flush(to);
      },
      cancel: () => {
        entry.cancelled = true;
        entry.ready = true;
        this.flush(to);
      },
    };
  }

  private flush(to: string): void {
    const lane = this.lanes.get(to);
    if (lane === undefined) return;
    while (lane.length > 0 && lane[0]!.ready) {
      const entry = lane.shift()!;
      if (!entry.cancelled) this.send(to, entry.frame);
    }
    if (lane.length === 0) this.lanes.delete(to);
  }
}
