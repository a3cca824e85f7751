import { useEffect, useRef } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';

export interface ChartSeries {
  label: string;
  /** A CSS variable name, e.g. "--chart-1", so the chart follows the theme. */
  color: string;
}

interface UPlotChartProps {
  title: string;
  unit: string;
  series: ChartSeries[];
  data: AlignedData;
  height?: number;
}

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** A uPlot line chart over time that resizes with its box and takes new data without being rebuilt. */
export function UPlotChart({ title, unit, series, data, height = 150 }: UPlotChartProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const dataRef = useRef(data);
  dataRef.current = data;

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const axis = {
      stroke: css('--text-2'),
      grid: { stroke: css('--border'), width: 1 },
      ticks: { stroke: css('--border') },
    };
    const opts: Options = {
      width: Math.max(200, host.clientWidth),
      height,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [0, Math.max(max, min + 1) * 1.1] } },
      axes: [axis, { ...axis, size: 50, values: (_u, ticks) => ticks.map((t) => `${+t.toFixed(2)}${unit}`) }],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: css(s.color),
          width: 1.5,
          points: { show: false },
          spanGaps: false,
        })),
      ],
    };
    const plot = new uPlot(opts, dataRef.current, host);
    plotRef.current = plot;
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, host.clientWidth), height }));
    resize.observe(host);
    return () => {
      resize.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [series, unit, height]);

  useEffect(() => {
    plotRef.current?.setData(data);
  }, [data]);

  return (
    <figure className="chart">
      <figcaption className="small muted">{title}</figcaption>
      <div ref={hostRef} className="chart-host" />
    </figure>
  );
}
