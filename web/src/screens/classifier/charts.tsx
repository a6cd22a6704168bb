import { Stack, Text, useDirection } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, Line, LineChart, ReferenceDot, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EvaluationView } from '../../api/classify.js';
import { CHART_COLORS } from '../../components/insights/charts.js';
import { pct } from '../../components/insights/format.js';

const TICK = { fill: CHART_COLORS.text, fontSize: 12 };
/** A matrix wider than this is unreadable as a heat map; the confused pairs are listed instead. */
const HEATMAP_MAX = 40;

/**
 * Precision against coverage as the "unsure" threshold moves: to answer more often the model must accept being
 * wrong more often. The dot is the operating point training chose for the target precision.
 */
export function CoverageChart(props: {
  curve: EvaluationView['coverageCurve'];
  operatingPoint: EvaluationView['operatingPoint'];
}) {
  const rtl = useDirection().dir === 'rtl';
  const data = props.curve
    .filter((p) => p.precision !== null)
    .map((p) => ({ coverage: p.coverage, precision: p.precision, threshold: p.threshold }))
    .sort((a, b) => a.coverage - b.coverage);
  const op = props.operatingPoint;
  return (
    <ResponsiveContainer width="100%" height={240}>
      <LineChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
        <CartesianGrid stroke={CHART_COLORS.grid} strokeDasharray="3 3" />
        <XAxis
          dataKey="coverage"
          type="number"
          domain={[0, 1]}
          tickFormatter={(v: number) => pct(v)}
          tick={TICK}
          reversed={rtl}
        />
        <YAxis
          type="number"
          domain={[0, 1]}
          allowDataOverflow
          tickFormatter={(v: number) => pct(v)}
          tick={TICK}
          orientation={rtl ? 'right' : 'left'}
          width={48}
        />
        <Tooltip
          formatter={(value) => pct(typeof value === 'number' ? value : null)}
          labelFormatter={(value) => pct(typeof value === 'number' ? value : null)}
        />
        <Line
          type="linear"
          dataKey="precision"
          stroke={CHART_COLORS.line}
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
        {op.precision !== null ? (
          <ReferenceDot x={op.coverage} y={op.precision} r={6} fill={CHART_COLORS.marker} stroke="white" />
        ) : null}
      </LineChart>
    </ResponsiveContainer>
  );
}

/**
 * Actual (rows) against predicted (columns): the diagonal holds the correct answers (recall × support), the other
 * cells the confused pairs, shaded by the share of the row's examples. Columns are numbered like the rows.
 */
export function ConfusionHeatmap(props: { evaluation: EvaluationView; nameOf: (slug: string) => string }) {
  const { t } = useTranslation('classifier');
  const e = props.evaluation;
  const classes = e.perClass.filter((c) => c.support > 0 || e.confusedPairs.some((p) => p.predicted === c.category));
  if (classes.length > HEATMAP_MAX || classes.length === 0) {
    return (
      <Stack gap={4}>
        {e.confusedPairs.slice(0, 15).map((p) => (
          <Text key={`${p.actual}>${p.predicted}`} size="sm" dir="auto">
            {t('model.pair', { actual: props.nameOf(p.actual), predicted: props.nameOf(p.predicted), count: p.count })}
          </Text>
        ))}
      </Stack>
    );
  }
  // Cells as large as fit a half-width card: 32 px for a handful of categories, 16 px at the 40 the map allows.
  const cell = Math.max(16, Math.min(32, Math.floor(480 / classes.length)));
  const labelWidth = 170;
  const top = 22;
  const size = classes.length * cell;
  const count = new Map<string, number>();
  for (const p of e.confusedPairs) count.set(`${p.actual}>${p.predicted}`, p.count);
  return (
    <svg
      className="al-heatmap"
      viewBox={`0 0 ${labelWidth + size + 4} ${top + size + 4}`}
      width={labelWidth + size + 4}
      role="img"
      aria-label={t('model.confusionTitle')}
    >
      {classes.map((c, i) => (
        <g key={c.category}>
          <text className="al-heatmap-label" x={labelWidth + i * cell + cell / 2} y={top - 6} textAnchor="middle">
            {i + 1}
          </text>
          <text className="al-heatmap-label" x={labelWidth - 6} y={top + i * cell + cell * 0.7} textAnchor="end">
            {`${props.nameOf(c.category).slice(0, 26)} ${i + 1}`}
          </text>
        </g>
      ))}
      {classes.map((actual, row) =>
        classes.map((predicted, col) => {
          const diagonal = row === col;
          const n = diagonal
            ? Math.round(actual.recall * actual.support)
            : (count.get(`${actual.category}>${predicted.category}`) ?? 0);
          const share = actual.support > 0 ? n / actual.support : 0;
          if (!diagonal && n === 0) return null;
          return (
            <rect
              key={`${actual.category}>${predicted.category}`}
              className={diagonal ? 'al-heatmap-diagonal' : 'al-heatmap-cell'}
              x={labelWidth + col * cell + 1}
              y={top + row * cell + 1}
              width={cell - 2}
              height={cell - 2}
              fillOpacity={diagonal ? 0.1 + share * 0.5 : Math.min(1, 0.15 + share * 1.7)}
            >
              <title>{`${props.nameOf(actual.category)} → ${props.nameOf(predicted.category)}: ${n}`}</title>
            </rect>
          );
        }),
      )}
      <rect x={labelWidth} y={top} width={size} height={size} fill="none" stroke={CHART_COLORS.grid} />
    </svg>
  );
}
