import 'uplot/dist/uPlot.min.css';
import { useMemo } from 'react';
import type { AlignedData } from 'uplot';
import { useMetrics, useServers, useUi } from '../../app-context.js';
import { EmptyState } from '../../components/feedback.js';
import { StateBadge } from '../../components/StateBadge.js';
import { formatMs, formatRate, plural } from '../../lib/format.js';
import { seriesFor } from '../../stores/metrics-store.js';
import { UPlotChart, type ChartSeries } from './UPlotChart.js';

const rateSeries: ChartSeries[] = [{ label: 'req/s', color: '--chart-1' }];
const latencySeries: ChartSeries[] = [
  { label: 'p50', color: '--chart-2' },
  { label: 'p90', color: '--chart-3' },
  { label: 'p99', color: '--chart-4' },
];
const errorSeries: ChartSeries[] = [{ label: 'errors/s', color: '--chart-4' }];

function ServerCharts({ name }: { name: string }) {
  const history = useMetrics((s) => s.history);
  const view = useServers((s) => s.byName[name]);
  const navigate = useUi((s) => s.navigate);
  const series = useMemo(() => seriesFor(history, name), [history, name]);
  const rate = useMemo<AlignedData>(() => [series.time, series.requestsPerSecond], [series]);
  const latency = useMemo<AlignedData>(() => [series.time, series.p50, series.p90, series.p99], [series]);
  const errors = useMemo<AlignedData>(() => [series.time, series.errorsPerSecond], [series]);
  if (!view) return null;
  const hasData = series.requestsPerSecond.some((v) => v !== null && v > 0) || series.p50.some((v) => v !== null);
  return (
    <section className="card stack" aria-label={`Metrics of ${name}`}>
      <div className="row wrap">
        <button type="button" className="link" onClick={() => navigate({ page: 'server', name, tab: 'traffic' })}>
          <h2>{name}</h2>
        </button>
        <StateBadge state={view.status.state} />
        <span className="spacer" />
        <span className="small muted">
          now {formatRate(view.stats.requestsPerSecond)} req/s · p99 {formatMs(view.stats.latencyMs?.p99)} ·{' '}
          {plural(view.stats.errors, 'error')} in all
        </span>
      </div>
      {hasData ? (
        <div className="charts">
          <UPlotChart title="Requests per second" unit="" series={rateSeries} data={rate} />
          <UPlotChart title="Latency (ms)" unit="" series={latencySeries} data={latency} />
          <UPlotChart title="Errors per second" unit="" series={errorSeries} data={errors} />
        </div>
      ) : (
        <p className="muted small">No requests in the last five minutes. Charts appear as clients use this server.</p>
      )}
    </section>
  );
}

/** Request rate, latency percentiles and errors per server over the last five minutes, from live snapshots. */
export default function MetricsPage() {
  const names = useServers((s) => s.names);
  const samples = useMetrics((s) => s.history.length);
  const navigate = useUi((s) => s.navigate);
  return (
    <section className="page" aria-labelledby="metrics-title">
      <div className="page-header">
        <h1 id="metrics-title">Metrics</h1>
        <span className="muted small">last 5 minutes · {plural(samples, 'sample')}</span>
      </div>
      {names.length === 0 ? (
        <EmptyState
          title="No servers yet"
          actions={
            <button type="button" onClick={() => navigate({ page: 'servers' })}>
              Go to Servers
            </button>
          }
        >
          Add or import a server; its request rate, latency and errors are charted here as clients use it.
        </EmptyState>
      ) : (
        names.map((name) => <ServerCharts key={name} name={name} />)
      )}
      {names.length > 0 && samples < 2 && (
        <p className="muted small">The charts fill in as Switchboard reports its numbers, about once a second.</p>
      )}
    </section>
  );
}
