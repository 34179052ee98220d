/**
 * An authenticated gateway session (docs/protocol.md sections 4-7 and 10):
 * AUTH (fresh or resume), and each client op with or without `ref`.
 */
import { Connection, ConformanceError, DEFAULT_WAIT_MS } from "./connection";
import { type Device, newDevice, randomId, signAuth } from "./identity";
import { type Frame, Op, type Ready, type Reply, type WireMessage } from "./wire";

export interface AuthOptions {
  resume?: { session: string; seq: number };
  shard?: [number, number];
  client?: { name: string; version: string };
  /** Keep a heartbeat going at HELLO's interval and answer the relay's requests for one (default true). */
  heartbeat?: boolean;
}

export interface SendFrame {
  id?: string;
  to: string;
  body: string;
  qos: 0 | 1;
}

let refCounter = 0;
/** A fresh `ref`, unique within this process. */
export function newRef(): string {
  refCounter += 1;
  return `r${refCounter}`;
}

export class Session {
  private constructor(
    readonly conn: Connection,
    readonly device: Device,
    /** READY of a fresh session, or null after a resume. */
    readonly ready: Ready | null,
    /** The first event of this connection after AUTH (READY or RESUMED). */
    readonly first: WireMessage,
  ) {}

  /**
   * Sends AUTH on an open connection; resolves with the first answer (READY, RESUMED or INVALID_SESSION), unconsumed.
   */
  static sendAuth(conn: Connection, device: Device, opts: AuthOptions = {}): void {
    conn.send(Op.AUTH, {
      device: device.id,
      sig: signAuth(device, conn.hello.challenge, conn.hello.relay),
      ...(opts.resume ? { resume: opts.resume } : {}),
      ...(opts.shard ? { shard: opts.shard } : {}),
      ...(opts.client ? { client: opts.client } : {}),
    });
  }

  /** Authenticates on an open connection and waits for READY (or RESUMED when resuming). */
  static async authenticate(conn: Connection, device: Device, opts: AuthOptions = {}): Promise<Session> {
    Session.sendAuth(conn, device, opts);
    const first = await conn.next(
      (m) => (m.op === Op.EVENT && (m.t === "READY" || m.t === "RESUMED")) || m.op === Op.INVALID_SESSION,
      "READY, RESUMED or INVALID_SESSION",
    );
    if (first.op === Op.INVALID_SESSION) throw new ConformanceError("resume refused with INVALID_SESSION");
    if (opts.heartbeat !== false) conn.startHeartbeat();
    else conn.answerHeartbeatRequests = false;
    return new Session(conn, device, first.t === "READY" ? (first.d as Ready) : null, first);
  }

  /** Connects, reads HELLO and authenticates as `device` (a new one by default). */
  static async connect(url: string, device: Device = newDevice(), opts: AuthOptions = {}): Promise<Session> {
    const conn = await Connection.open(url);
    try {
      return await Session.authenticate(conn, device, opts);
    } catch (err) {
      await conn.drop();
      throw err;
    }
  }

  get id(): string {
    return this.device.id;
  }

  /** Sends `op` with a fresh `ref` and waits for its REPLY. */
  async request(op: number, d: Record<string, unknown>, timeoutMs = DEFAULT_WAIT_MS): Promise<Reply> {
    const ref = newRef();
    this.conn.send(op, { ...d, ref });
    const m = await this.conn.event("REPLY", (r) => (r as Reply).ref === ref, timeoutMs);
    return m.d as Reply;
  }

  /** SEND with ref; resolves with the REPLY and the frame id used. */
  async sendFrame(f: SendFrame): Promise<Reply & { frameId: string }> {
    const id = f.id ?? randomId();
    const reply = await this.request(Op.SEND, { id, to: f.to, body: f.body, qos: f.qos });
    return { ...reply, frameId: id };
  }

  grant(peer: string): Promise<Reply> {
    return this.request(Op.GRANT, { peer });
  }

  revoke(peer: string): Promise<Reply> {
    return this.request(Op.REVOKE, { peer });
  }

  ack(ids: string[]): void {
    this.conn.send(Op.ACK, { ids });
  }

  pairOpen(rendezvous: string, ttlS: number): Promise<Reply> {
    return this.request(Op.PAIR_OPEN, { rendezvous, ttl_s: ttlS });
  }

  pairRequest(rendezvous: string, body: string): Promise<Reply> {
    return this.request(Op.PAIR_REQUEST, { rendezvous, body });
  }

  pairClose(rendezvous: string): Promise<Reply> {
    return this.request(Op.PAIR_CLOSE, { rendezvous });
  }

  /** Waits for the next FRAME (optionally with the given id). */
  async frame(id?: string, timeoutMs = DEFAULT_WAIT_MS): Promise<Frame & { s: number | undefined }> {
    const m = await this.conn.event("FRAME", (d) => id === undefined || (d as Frame).id === id, timeoutMs);
    return { ...(m.d as Frame), s: m.s };
  }

  /**
   * A barrier: a round trip that proves the relay has handled everything this
   * connection sent before it: a REVOKE of a device nobody knows, which
   * changes nothing.
   */
  async sync(): Promise<void> {
    const r = await this.request(Op.REVOKE, { peer: newDevice().id });
    if (!r.ok) throw new ConformanceError(`barrier REVOKE refused: ${r.code}`);
  }

  close(): Promise<void> {
    return this.conn.close();
  }

  drop(): Promise<void> {
    return this.conn.drop();
  }
}

/** Makes two sessions mutual peers (each GRANTs the other), asserting both replies are ok. */
export async function grantBoth(a: Session, b: Session): Promise<void> {
  const [ra, rb] = await Promise.all([a.grant(b.id), b.grant(a.id)]);
  if (!ra.ok || !rb.ok) throw new ConformanceError("GRANT refused");
}
