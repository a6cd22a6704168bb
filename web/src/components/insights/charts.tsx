import { useDirection } from '@mantine/core';
import {
  Area,
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  LabelList,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { day, dayTime, pct } from './format.js';

/**
 * The insights charts, drawn by recharts. Colours are Mantine's indigo and orange at shades with at least 3:1 against
 * white (WCAG non-text contrast). Right-to-left: time runs from right to left (reversed x axis) and the value axis
 * sits on the right; the SVG itself stays LTR so recharts' text anchors mean what it expects, and Arabic or Hebrew
 * labels are still shaped by the bidi algorithm.
 */
export const CHART_COLORS = {
  line: '#364fc7', // indigo-9
  band: '#bac8ff', // indigo-2
  bar: '#4263eb', // indigo-7
  marker: '#c2410c', // orange, 5.2:1 on white
  text: '#343a40', // gray-8
  grid: '#dee2e6', // gray-3
} as const;

const TICK = { fill: CHART_COLORS.text, fontSize: 12 };

function useRtl(): boolean {
  return useDirection().dir === 'rtl';
}

export interface RatePoint {
  /** First day of the week (UTC). */
  week: string;
  rate: number | null;
  low: number;
  high: number;
}

/** Helpful rate per week as a line, its 95 % interval as a band, and a labelled vertical line where a revision went live. */
export function RateOverTimeChart(props: {
  series: RatePoint[];
  markers: { revision: number; publishedAt: string }[];
  height?: number;
}) {
  const rtl = useRtl();
  const data = props.series.map((p) => ({
    t: dayTime(p.week),
    rate: p.rate,
    band: p.rate === null ? null : [p.low, p.high],
  }));
  return (
    <ResponsiveContainer width="100%" height={props.height ?? 260}>
      <ComposedChart accessibilityLayer={false} data={data} margin={{ top: 22, right: 16, bottom: 4, left: 4 }}>
        <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={['dataMin', 'dataMax']}
          tickFormatter={(v: number) => day(new Date(v).toISOString(), 'short')}
          reversed={rtl}
          tick={TICK}
          minTickGap={24}
        />
        <YAxis
          domain={[0, 1]}
          tickFormatter={(v: number) => pct(v)}
          orientation={rtl ? 'right' : 'left'}
          tick={TICK}
          width={48}
        />
        <Tooltip
          labelFormatter={(v) => day(new Date(Number(v)).toISOString())}
          formatter={(value) =>
            Array.isArray(value) ? `${pct(Number(value[0]))}–${pct(Number(value[1]))}` : pct(Number(value))
          }
        />
        <Area
          dataKey="band"
          stroke="none"
          fill={CHART_COLORS.band}
          fillOpacity={0.7}
          isAnimationActive={false}
          connectNulls
        />
        <Line
          dataKey="rate"
          stroke={CHART_COLORS.line}
          strokeWidth={2}
          dot={{ r: 3, fill: CHART_COLORS.line }}
          isAnimationActive={false}
          connectNulls
        />
        {props.markers.map((m) => (
          <ReferenceLine
            key={m.revision}
            x={dayTime(m.publishedAt)}
            stroke={CHART_COLORS.marker}
            strokeDasharray="4 3"
            strokeWidth={2}
            ifOverflow="extendDomain"
            label={{
              value: `r${m.revision}`,
              position: 'top',
              fill: CHART_COLORS.marker,
              fontSize: 12,
              fontWeight: 700,
            }}
          />
        ))}
      </ComposedChart>
    </ResponsiveContainer>
  );
}

export interface BarPoint {
  key: string;
  label: string;
  value: number;
}

/** Horizontal bars (one per label) with the value written at the bar's end. */
export function HorizontalBarChart(props: { data: BarPoint[]; format?: (v: number) => string; max?: number }) {
  const rtl = useRtl();
  const format = props.format ?? pct;
  const height = Math.max(80, props.data.length * 34 + 24);
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart
        accessibilityLayer={false}
        data={props.data}
        layout="vertical"
        margin={{ top: 4, right: 48, bottom: 4, left: 48 }}
      >
        <XAxis type="number" domain={[0, props.max ?? 'dataMax']} hide reversed={rtl} />
        <YAxis
          type="category"
          dataKey="label"
          width={150}
          orientation={rtl ? 'right' : 'left'}
          tick={TICK}
          tickLine={false}
          axisLine={false}
        />
        <Bar dataKey="value" fill={CHART_COLORS.bar} radius={3} isAnimationActive={false} barSize={18}>
          <LabelList
            dataKey="value"
            // 'right' is the bar's far end in both directions: on the reversed (RTL) axis the bar's width is
            // negative, and recharts flips the offset and anchor with it.
            position="right"
            formatter={(v: unknown) => format(Number(v))}
            fill={CHART_COLORS.text}
            fontSize={12}
          />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

/** A small trend line without axes, for a KPI card. */
export function SparklineChart(props: { series: { day: string; value: number | null }[]; height?: number }) {
  const rtl = useRtl();
  const data = props.series.map((p) => ({ t: dayTime(p.day), value: p.value }));
  return (
    <ResponsiveContainer width="100%" height={props.height ?? 40}>
      <LineChart accessibilityLayer={false} data={data} margin={{ top: 4, right: 2, bottom: 4, left: 2 }}>
        <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} hide reversed={rtl} />
        <YAxis hide domain={['auto', 'auto']} />
        <Line
          dataKey="value"
          stroke={CHART_COLORS.line}
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
          connectNulls
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
