/**
 * Sessions by id and by device. A device has at most one session and at
 * most one live connection (docs/protocol.md section 4). A session whose
 * connection dropped stays resumable for resume_ttl_s, then is forgotten.
 */
import { randomBytes } from "node:crypto";
import { Session } from "./session";

export interface RegistryHooks {
  /** The device got a live connection and had none. */
  online(device: string): void;
  /** The device lost its live connection. */
  offline(device: string): void;
}

export interface RegistryLimits {
  resumeTtlS: number;
  resumeMaxEvents: number;
  resumeMaxBytes: number;
}

export class SessionRegistry {
  private readonly byId = new Map<string, Session>();
  private readonly byDevice = new Map<string, Session>();
  private readonly live = new Set<Session>();

  constructor(
    private readonly limits: RegistryLimits,
    private readonly hooks: RegistryHooks,
    private readonly onFrameOut: (qos: number) => void,
  ) {}

  get sessionCount(): number {
    return this.byId.size;
  }

  get liveCount(): number {
    return this.live.size;
  }

  /** The device's session if a connection is attached to it. */
  liveSession(device: string): Session | undefined {
    const s = this.byDevice.get(device);
    return s !== undefined && this.live.has(s) ? s : undefined;
  }

  isOnline(device: string): boolean {
    return this.liveSession(device) !== undefined;
  }

  /** The session with this id, if it belongs to `device` and still exists. */
  resumable(id: string, device: string): Session | undefined {
    const s = this.byId.get(id);
    return s?.device === device ? s : undefined;
  }

  /** Makes a fresh session for a device, forgetting any earlier one. */
  create(device: string): Session {
    const old = this.byDevice.get(device);
    if (old !== undefined) this.forget(old);
    const session = new Session(randomBytes(16).toString("base64url"), device, this.limits, this.onFrameOut);
    this.byId.set(session.id, session);
    this.byDevice.set(device, session);
    return session;
  }

  /**
   * Registers a session moved here from another node of a cluster (same id,
   * sequence and kept events), replacing any earlier session of the device.
   * It waits resume_ttl_s for the connection that asked for it.
   */
  adopt(id: string, device: string, sequence: number, events: readonly (string | Buffer)[]): Session {
    const old = this.byDevice.get(device);
    if (old !== undefined) this.forget(old);
    const session = new Session(id, device, this.limits, this.onFrameOut);
    session.importEvents(sequence, events);
    this.byId.set(id, session);
    this.byDevice.set(device, session);
    session.expiryTimer = setTimeout(() => this.forget(session), this.limits.resumeTtlS * 1000);
    session.expiryTimer.unref();
    return session;
  }

  /**
   * Hands a session over to another node: closes its connection, if any,
   * with `code` and forgets it, without the offline hook (the device resumes
   * on that node). Returns the session, or undefined if there is none.
   */
  surrender(id: string, device: string, code: number, reason: string): Session | undefined {
    const session = this.resumable(id, device);
    if (session === undefined) return undefined;
    const outlet = session.outlet;
    session.outlet = null;
    this.forget(session);
    outlet?.close?.(code, reason);
    return session;
  }

  /** Attaches a connection; the device counts online. The caller has detached any previous one. */
  attach(session: Session, outlet: Session["outlet"]): void {
    if (session.expiryTimer !== null) clearTimeout(session.expiryTimer);
    session.expiryTimer = null;
    const wasOnline = this.isOnline(session.device);
    session.outlet = outlet;
    this.live.add(session);
    if (!wasOnline) this.hooks.online(session.device);
  }

  /**
   * Detaches the connection. With `replaced` the device stays online (a new
   * connection takes over at once); otherwise it goes offline and the
   * session waits resume_ttl_s for a resume.
   */
  detach(session: Session, replaced: boolean): void {
    if (!this.live.has(session)) return;
    session.outlet = null;
    this.live.delete(session);
    if (replaced) return;
    this.hooks.offline(session.device);
    session.expiryTimer = setTimeout(() => this.forget(session), this.limits.resumeTtlS * 1000);
    session.expiryTimer.unref();
  }

  /**
   * Closes the device's live connection with `code` and forgets its session,
   * without the offline hook: the device is online on another node of the
   * cluster, which holds it now (docs/relay.md, "Running a cluster").
   */
  evict(device: string, code: number, reason: string): boolean {
    const session = this.liveSession(device);
    if (session === undefined) return false;
    const outlet = session.outlet;
    session.outlet = null;
    this.forget(session);
    outlet?.close?.(code, reason);
    return true;
  }

  private forget(session: Session): void {
    if (session.expiryTimer !== null) clearTimeout(session.expiryTimer);
    session.expiryTimer = null;
    this.live.delete(session);
    this.byId.delete(session.id);
    if (this.byDevice.get(session.device) === session) this.byDevice.delete(session.device);
  }

  /** Every session, for shutdown. */
  all(): Session[] {
    return [...this.byId.values()];
  }

  clear(): void {
    for (const s of this.all()) this.forget(s);
  }
}
