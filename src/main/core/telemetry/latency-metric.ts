import { LATENCY_BUCKETS_SECONDS, type MethodStats } from './stats.js';

/** One line of a metric as prom-client's Registry formats it. */
interface MetricValue {
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string>;
  value: number;
  metricName: string;
}

/**
 * `switchboard_request_duration_seconds`, a Prometheus histogram per server and method, read from the methods'
 * own bucket counts (MethodStats.observeLatency) when someone scrapes. prom-client's Registry formats any object
 * with this shape (name, help, type, aggregator, get); its output matches prom-client's Histogram line for line.
 * Methods with no response yet have no series, as with prom-client.
 */
export class LatencyMetric {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  /** The methods to publish, set by the exporter before each scrape. */
  methods: MethodStats[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  get() {
    const values: MetricValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const m of this.methods) {
      if (m.latencyCount === 0) continue;
      let cumulative = 0;
      for (let i = 0; i < LATENCY_BUCKETS_SECONDS.length; i++) {
        cumulative += m.latencyCounts[i]!;
        values.push({
          labels: { le: LATENCY_BUCKETS_SECONDS[i]! },
          sharedLabels: m.labels,
          value: cumulative,
          metricName: bucket,
        });
      }
      values.push({ labels: { le: '+Inf' }, sharedLabels: m.labels, value: m.latencyCount, metricName: bucket });
      values.push({ labels: {}, sharedLabels: m.labels, value: m.latencySumSeconds, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels: m.labels, value: m.latencyCount, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** The counts live in the stats; a registry reset has nothing of its own to clear. */
  reset(): void {}
}
