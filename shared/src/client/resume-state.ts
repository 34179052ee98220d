/**
 * What a client must remember to resume its session after a drop
 * (docs/protocol.md section 4): the session id, the last event number it saw,
 * and when the connection dropped, since the relay keeps a session only for
 * `resume_ttl_s`.
 */
export class ResumeState {
  private session: { id: string; ttlMs: number; droppedAt: number | null } | null = null;
  /** The `s` of the last event received, for heartbeats and resume. */
  lastSeq: number | null = null;

  constructor(private readonly now: () => number) {}

  get sessionId(): string | null {
    return this.session?.id ?? null;
  }

  /** A fresh session began (READY). */
  ready(id: string, resumeTtlS: number): void {
    this.session = { id, ttlMs: resumeTtlS * 1000, droppedAt: null };
  }

  /** The session came back (RESUMED). */
  resumed(): void {
    if (this.session) this.session.droppedAt = null;
  }

  dropped(): void {
    if (this.session && this.session.droppedAt === null) this.session.droppedAt = this.now();
  }

  /** The relay refused to resume (INVALID_SESSION): the next AUTH starts afresh. */
  forget(): void {
    this.session = null;
    this.lastSeq = null;
  }

  seen(s: number | undefined): void {
    if (s !== undefined) this.lastSeq = s;
  }

  /** The `resume` field of the next AUTH, or undefined if there is nothing worth resuming. */
  resumeField(): { session: string; seq: number } | undefined {
    const s = this.session;
    if (!s || s.droppedAt === null || this.now() - s.droppedAt >= s.ttlMs) return undefined;
    return { session: s.id, seq: this.lastSeq ?? 0 };
  }
}
