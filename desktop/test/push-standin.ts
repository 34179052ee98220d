import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, createServer, type Server } from "node:https";
import type { IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  decryptAes128gcm,
  newSubscriberKeys,
  subscriptionKeys,
  type SubscriberKeys,
  type VapidClaims,
  verifyVapid,
} from "./web-push-decrypt";

/** One push as the stand-in received it: checked and decrypted. */
export interface ReceivedPush {
  subscriber: string;
  headers: IncomingHttpHeaders;
  claims: VapidClaims;
  /** The decrypted payload, parsed as JSON. */
  payload: Record<string, unknown>;
  /** Bytes on the wire (the ciphertext). */
  body: Buffer;
}

/** A subscriber of the stand-in: what a browser would hold for one PushSubscription. */
export interface StandinSubscriber {
  id: string;
  keys: SubscriberKeys;
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  /** The status the push service answers with; 201 by default, 410 for a subscription that is gone. */
  status: number;
}

/**
 * A push service on loopback (RFC 8030 section 5), for tests: HTTPS with a throwaway
 * self-signed certificate (web-push speaks only https), one endpoint per subscriber.
 * Every POST is checked (aes128gcm, TTL, VAPID JWT with aud = this origin, signed with
 * `vapidKey()`) and decrypted with the subscriber's private keys; a push that fails a
 * check is answered 400 and kept in `refused` with the reason.
 */
export class PushStandin {
  readonly received: ReceivedPush[] = [];
  readonly refused: string[] = [];
  private readonly subscribers = new Map<string, StandinSubscriber>();
  private next = 0;

  private constructor(
    private readonly server: Server,
    readonly origin: string,
    /** A TLS agent that trusts this stand-in's certificate (HubNode's push settings take it). */
    readonly agent: Agent,
    private readonly dir: string,
    private readonly vapidKey: () => string | undefined,
  ) {
    server.on("request", (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const answer = this.take(req.method ?? "", req.url ?? "", req.headers, Buffer.concat(chunks));
        res.writeHead(answer).end();
      });
    });
  }

  /** `vapidKey` names the key the phone was given (push.key): every JWT must verify with it. */
  static async start(vapidKey: () => string | undefined): Promise<PushStandin> {
    const dir = mkdtempSync(join(tmpdir(), "nlink-push-standin-"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    const cert = readFileSync(join(dir, "cert.pem"));
    const server = createServer({ key: readFileSync(join(dir, "key.pem")), cert });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    return new PushStandin(server, `https://127.0.0.1:${port}`, new Agent({ ca: cert }), dir, vapidKey);
  }

  subscriber(): StandinSubscriber {
    const id = `s${++this.next}`;
    const keys = newSubscriberKeys();
    const s: StandinSubscriber = {
      id,
      keys,
      subscription: { endpoint: `${this.origin}/push/${id}`, keys: subscriptionKeys(keys) },
      status: 201,
    };
    this.subscribers.set(id, s);
    return s;
  }

  /** Pushes received for one subscriber, payloads only. */
  payloads(s: StandinSubscriber): Record<string, unknown>[] {
    return this.received.filter((r) => r.subscriber === s.id).map((r) => r.payload);
  }

  private take(method: string, url: string, headers: IncomingHttpHeaders, body: Buffer): number {
    const id = /^\/push\/(s\d+)$/.exec(url)?.[1];
    const s = id ? this.subscribers.get(id) : undefined;
    if (method !== "POST" || !s) return 404;
    try {
      if (headers["content-encoding"] !== "aes128gcm")
        throw new Error(`content-encoding ${headers["content-encoding"]}`);
      if (!/^\d+$/.test(String(headers.ttl ?? ""))) throw new Error("no TTL header (RFC 8030 section 5.2)");
      const expected = this.vapidKey();
      if (!expected) throw new Error("no VAPID key was given to the phone yet");
      const claims = verifyVapid(headers.authorization, expected);
      if (claims.aud !== this.origin)
        throw new Error(`aud ${claims.aud} is not the push service origin ${this.origin}`);
      if (!(claims.exp * 1000 > Date.now() && claims.exp * 1000 <= Date.now() + 24 * 3600_000 + 60_000))
        throw new Error("exp not within 24 h");
      if (!/^(mailto:|https:)/.test(claims.sub)) throw new Error(`sub ${claims.sub}`);
      const payload = JSON.parse(decryptAes128gcm(body, s.keys).toString("utf8")) as Record<string, unknown>;
      this.received.push({ subscriber: s.id, headers, claims, payload, body });
      return s.status;
    } catch (err) {
      this.refused.push(String(err));
      return 400;
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.agent.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
