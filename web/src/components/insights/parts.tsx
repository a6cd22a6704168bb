import { Alert, Button, Group, Skeleton, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconArrowDownRight, IconArrowRight, IconArrowUpRight } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { num, pct, pctInterval } from './format.js';
import './insights.css';

/** A rate's interval drawn in a cell: the track is 0–100 %, the bar the interval, the tick the rate. */
export function IntervalBar({ rate, low, high }: { rate: number | null; low: number; high: number }) {
  if (rate === null) return null;
  const clamp = (v: number) => Math.min(100, Math.max(0, v * 100));
  return (
    <span className="al-interval" aria-hidden>
      <span
        className="al-interval-range"
        style={{ insetInlineStart: `${clamp(low)}%`, width: `${Math.max(1, clamp(high) - clamp(low))}%` }}
      />
      <span className="al-interval-point" style={{ insetInlineStart: `${clamp(rate)}%` }} />
    </span>
  );
}

/** "78% (74–81%)" with the interval drawn beside it. */
export function RateCell({ rate, low, high }: { rate: number | null; low: number; high: number }) {
  return (
    <Group gap={6} wrap="nowrap">
      <IntervalBar rate={rate} low={low} high={high} />
      <span className="al-nowrap">{pctInterval(rate, low, high)}</span>
    </Group>
  );
}

/**
 * A change between two rates with an arrow AND words ("up 3.0 points, better"), never colour alone. `higherIsBetter`
 * decides the tone: a rising contact rate is bad news.
 */
export function Change(props: {
  current: number | null;
  previous: number | null;
  higherIsBetter: boolean;
  /** Changes smaller than this read as "about the same". */
  threshold?: number;
  /** A rate (changes in percentage points) or a ratio such as readers per ticket (changes in plain numbers). */
  kind?: 'rate' | 'ratio';
}) {
  const { t } = useTranslation('insights');
  if (props.current === null || props.previous === null) {
    return (
      <Text size="sm" className="al-change" data-tone="neutral">
        {t('change.none')}
      </Text>
    );
  }
  const diff = props.current - props.previous;
  const flat = Math.abs(diff) < (props.threshold ?? 0.005);
  const better = flat ? null : diff > 0 === props.higherIsBetter;
  const tone = better === null ? 'neutral' : better ? 'good' : 'bad';
  const Icon = flat ? IconArrowRight : diff > 0 ? IconArrowUpRight : IconArrowDownRight;
  const ratio = props.kind === 'ratio';
  const shown = ratio ? num(props.previous, 1) : pct(props.previous);
  const words = flat
    ? t('change.flat', { previous: shown })
    : t(`${diff > 0 ? 'change.up' : 'change.down'}${ratio ? 'Ratio' : ''}`, {
        points: num(Math.abs(diff) * 100, 1),
        amount: num(Math.abs(diff), 1),
        previous: shown,
        verdict: t(better ? 'change.better' : 'change.worse'),
      });
  return (
    <Group gap={4} wrap="nowrap" className="al-change" data-tone={tone}>
      <Icon size={16} aria-hidden className="al-flip-rtl" />
      <Text size="sm" c="inherit">
        {words}
      </Text>
    </Group>
  );
}

/** Loading, error (with retry) and content, the same way on every insights screen. */
export function Loadable<T>(props: {
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  children: (data: T) => ReactNode;
  skeleton?: number;
}) {
  const { t } = useTranslation();
  if (props.query.error) {
    const message = props.query.error instanceof ApiError ? props.query.error.message : String(props.query.error);
    return (
      <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={t('error.loadTitle')} role="alert">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{message}</Text>
          <Button size="xs" variant="white" color="red" onClick={() => void props.query.refetch()}>
            {t('retry')}
          </Button>
        </Stack>
      </Alert>
    );
  }
  if (props.query.data === undefined) return <Skeleton height={props.skeleton ?? 240} radius="md" />;
  return <>{props.children(props.query.data)}</>;
}

/** An empty state that says what would be here and how it gets there. */
export function Empty({ title, body }: { title: string; body: string }) {
  return (
    <Stack className="al-empty" align="center" gap={6}>
      <Text fw={600}>{title}</Text>
      <Text size="sm" c="dimmed" maw={560}>
        {body}
      </Text>
    </Stack>
  );
}

/** A reader's words (already redacted by the server), shown as text in its own direction. */
export function Quote({ text, lang }: { text: string; lang?: string }) {
  return (
    <blockquote className="al-comment" dir="auto" lang={lang}>
      {text}
    </blockquote>
  );
}

/** A link that downloads a list as CSV (the same rows the screen shows, from the same endpoint). */
export function CsvLink({ href, name }: { href: string; name: string }) {
  const { t } = useTranslation('insights');
  return (
    <Button component="a" href={href} download={`${name}.csv`} variant="default" size="sm">
      {t('csv')}
    </Button>
  );
}
