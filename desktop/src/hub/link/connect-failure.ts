/** TLS failures as Node names them: certificate problems and handshake errors. */
const TLS_CODES =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET)_|EPROTO$)/;

/**
 * Why a connection to the relay failed, in a few words a person can act on:
 * "refused", "DNS", "TLS error", "timed out", or the HTTP status the server
 * answered instead of upgrading (a redirect usually means a wrong path).
 */
export function describeSocketError(err: { code?: unknown; message?: unknown }): string {
  const code = typeof err.code === "string" ? err.code : "";
  const message = typeof err.message === "string" ? err.message : "socket error";
  if (code === "ECONNREFUSED") return "refused: nothing is listening at that address and port";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME")
    return "DNS: the host name cannot be resolved";
  if (code === "ETIMEDOUT" || code === "ECONNABORTED" || /timed out|timeout/i.test(message))
    return "timed out: no answer from the relay";
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return "unreachable: no route to that host";
  if (code === "ECONNRESET") return "reset: the connection was cut during the handshake";
  if (TLS_CODES.test(code) || /\bSSL\b|\bTLS\b|certificate/i.test(message)) return `TLS error: ${message}`;
  return code ? `${code}: ${message}` : message;
}

/** What an HTTP answer to the upgrade request means for the person who typed the URL. */
export function describeHttpAnswer(status: number, location: string | undefined): string {
  if (status >= 300 && status < 400)
    return `HTTP ${status} (redirect${location ? ` to ${location}` : ""}) — is this the gateway path?`;
  if (status === 404) return "HTTP 404 — is this the gateway path (/v1/gateway)?";
  if (status === 426 || status === 400) return `HTTP ${status} — the server did not accept a WebSocket here`;
  if (status >= 500) return `HTTP ${status} — the relay (or a proxy in front of it) has a problem`;
  return `HTTP ${status} — not a Neural Link relay?`;
}
