/**
 * The relay's counters and gauges, rendered in the Prometheus text format
 * at /metrics. Plain numbers: no client library needed for a dozen series.
 */
export interface GaugeSources {
  connections(): number;
  sessions(): number;
  liveSessions(): number;
  storedFrames(): number;
  storedBytes(): number;
  openRendezvous(): number;
  /** Bytes written to connections and not yet taken by the network. */
  sendBuffered(): number;
}

type Labelled = Map<string, number>;

export class RelayMetrics {
  /** SENDs accepted and FRAMEs written, by qos (index 0 or 1): counted once per frame, so plain array slots. */
  readonly framesIn: [number, number] = [0, 0];
  readonly framesOut: [number, number] = [0, 0];
  readonly rejections: Labelled = new Map();
  readonly closes: Labelled = new Map();
  bytesIn = 0;
  bytesOut = 0;
  connectionsTotal = 0;
  /** Times a connection's socket stopped being read because its op bucket was empty. */
  throttled = 0;

  /** More series appended to the text (the cluster's, cluster/cluster.ts), if any. */
  extraSeries: (() => string[]) | null = null;

  constructor(private readonly gauges: GaugeSources) {}

  frameIn(qos: number): void {
    this.framesIn[qos === 1 ? 1 : 0] += 1;
  }

  frameOut(qos: number): void {
    this.framesOut[qos === 1 ? 1 : 0] += 1;
  }

  /** An op refused with an error code of docs/protocol.md section 6. */
  rejected(code: string): void {
    this.rejections.set(code, (this.rejections.get(code) ?? 0) + 1);
  }

  /** A connection closed by the relay with a code of docs/protocol.md section 12. */
  closedWith(code: number): void {
    const key = String(code);
    this.closes.set(key, (this.closes.get(key) ?? 0) + 1);
  }

  render(): string {
    const out: string[] = [];
    const series = (name: string, type: "counter" | "gauge", help: string, values: [string, number][]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of values) out.push(`${name}${labels} ${value}`);
    };
    const labelled = (label: string, map: Labelled): [string, number][] =>
      [...map].map(([k, v]) => [`{${label}="${k}"}`, v]);
    const byQos = (counts: [number, number]): [string, number][] => [
      ['{qos="0"}', counts[0]],
      ['{qos="1"}', counts[1]],
    ];
    series("nlink_relay_connections", "gauge", "Open WebSocket connections.", [["", this.gauges.connections()]]);
    series("nlink_relay_connections_total", "counter", "WebSocket connections accepted.", [
      ["", this.connectionsTotal],
    ]);
    series("nlink_relay_sessions", "gauge", "Sessions, live or waiting for resume.", [["", this.gauges.sessions()]]);
    series("nlink_relay_sessions_live", "gauge", "Sessions with a connection attached.", [
      ["", this.gauges.liveSessions()],
    ]);
    series("nlink_relay_frames_in_total", "counter", "SEND frames accepted, by qos.", byQos(this.framesIn));
    series(
      "nlink_relay_frames_out_total",
      "counter",
      "FRAME events written to recipients, by qos.",
      byQos(this.framesOut),
    );
    series("nlink_relay_bytes_in_total", "counter", "Bytes of gateway messages received.", [["", this.bytesIn]]);
    series("nlink_relay_bytes_out_total", "counter", "Bytes of gateway messages sent.", [["", this.bytesOut]]);
    series("nlink_relay_stored_frames", "gauge", "qos 1 frames stored, waiting for ACK.", [
      ["", this.gauges.storedFrames()],
    ]);
    series("nlink_relay_stored_bytes", "gauge", "Body bytes of stored frames.", [["", this.gauges.storedBytes()]]);
    series("nlink_relay_send_buffered_bytes", "gauge", "Bytes waiting in connections' send buffers.", [
      ["", this.gauges.sendBuffered()],
    ]);
    series("nlink_relay_rendezvous_open", "gauge", "Pairing rendezvous open.", [["", this.gauges.openRendezvous()]]);
    series("nlink_relay_rejections_total", "counter", "Ops refused, by error code.", labelled("code", this.rejections));
    series(
      "nlink_relay_throttled_total",
      "counter",
      "Times a connection stopped being read until its op bucket refilled.",
      [["", this.throttled]],
    );
    series(
      "nlink_relay_closes_total",
      "counter",
      "Connections closed by the relay, by close code.",
      labelled("code", this.closes),
    );
    if (this.extraSeries !== null) out.push(...this.extraSeries());
    const memory = process.memoryUsage();
    series("process_resident_memory_bytes", "gauge", "Resident memory of the relay process.", [["", memory.rss]]);
    series("nodejs_heap_used_bytes", "gauge", "V8 heap in use.", [["", memory.heapUsed]]);
    return `${out.join("\n")}\n`;
  }
}
