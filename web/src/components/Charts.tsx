/** Small SVG charts for dashboards: no chart library, and nothing the CSP has to allow (classes, not style tags). */

export interface BarDatum {
  label: string;
  value: number;
}

/** Horizontal bars with their labels and values; the numbers are in the SVG's text, readable by screen readers. */
export function BarChart({
  data,
  title,
  format = String,
}: {
  data: BarDatum[];
  title: string;
  format?: (n: number) => string;
}) {
  const max = Math.max(1, ...data.map((d) => d.value));
  const row = 24;
  const labelWidth = 140;
  const width = 480;
  return (
    <svg viewBox={`0 0 ${width} ${data.length * row}`} width="100%" role="img" aria-label={title}>
      <title>{title}</title>
      {data.map((d, i) => {
        const w = ((width - labelWidth - 60) * d.value) / max;
        return (
          <g key={d.label} transform={`translate(0 ${i * row})`}>
            <text className="al-chart-label" x={0} y={16}>
              {d.label}
            </text>
            <rect className="al-chart-bar" x={labelWidth} y={4} width={Math.max(1, w)} height={row - 8} rx={3} />
            <text className="al-chart-label" x={labelWidth + w + 6} y={16}>
              {format(d.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** A trend line without axes, for a table cell or a KPI card. */
export function Sparkline({
  values,
  title,
  width = 120,
  height = 28,
}: {
  values: number[];
  title: string;
  width?: number;
  height?: number;
}) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={title}>
      <title>{title}</title>
      <polyline className="al-sparkline" points={points.join(' ')} />
    </svg>
  );
}
