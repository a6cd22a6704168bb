import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RevisionInsight } from '../../screens/insights/api.js';
import { day, num, pct, pctInterval, points } from './format.js';
import { RateCell } from './parts.js';

type Verdict = 'better' | 'worse' | 'unclear';

/** What an interval of a difference says: clearly above zero, clearly below, or not distinguishable from no change. */
export function verdictOf(low: number, high: number, higherIsBetter = true): Verdict {
  if (low > 0) return higherIsBetter ? 'better' : 'worse';
  if (high < 0) return higherIsBetter ? 'worse' : 'better';
  return 'unclear';
}

const VERDICT_COLOR: Record<Verdict, string> = { better: 'green', worse: 'red', unclear: 'gray' };

function RateChange(props: {
  label: string;
  change: { before: number | null; after: number | null; difference: number; low: number; high: number };
}) {
  const { t } = useTranslation('insights');
  const verdict = verdictOf(props.change.low, props.change.high, false);
  return (
    <Text size="sm">
      {t('revision.rateChange', {
        label: props.label,
        before: pct(props.change.before),
        after: pct(props.change.after),
        difference: points(props.change.difference),
        low: points(props.change.low),
        high: points(props.change.high),
      })}{' '}
      <Text span size="sm" fw={600}>
        {t(`revision.verdictLower.${verdict}`)}
      </Text>
    </Text>
  );
}

/**
 * Before and after one revision: its own helpful rate with the interval, and against the previous revision the
 * difference (95 % interval, in words), the probability that it is better, and the difference-in-differences
 * against unchanged articles with what that does and does not prove. Without enough votes it says so.
 */
export function RevisionCard({ revision, previous }: { revision: RevisionInsight; previous: number | null }) {
  const { t } = useTranslation('insights');
  const effect = revision.effect;
  const verdict = effect ? verdictOf(effect.low, effect.high) : null;
  return (
    <Card withBorder radius="md" padding="md" component="article" data-testid={`revision-card-${revision.revision}`}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" gap="xs">
          <Stack gap={0}>
            <Title order={3} size="h5">
              {previous === null
                ? t('revision.first', { revision: revision.revision })
                : t('revision.title', { revision: revision.revision, previous })}
            </Title>
            <Text size="xs" c="dimmed">
              {revision.publishedAt
                ? t('revision.published', {
                    date: day(revision.publishedAt),
                    author: revision.author,
                  })
                : t('revision.notPublished')}
              {revision.endedAt ? ` · ${t('revision.until', { date: day(revision.endedAt) })}` : ''}
            </Text>
          </Stack>
          {verdict ? (
            <Badge color={VERDICT_COLOR[verdict]} variant="light" tt="none">
              {t(`revision.verdict.${verdict}`)}
            </Badge>
          ) : null}
        </Group>
        <Group gap="xs" wrap="wrap">
          <Text size="sm">{t('revision.helpful')}</Text>
          <RateCell rate={revision.helpfulRate} low={revision.low} high={revision.high} />
          <Text size="sm" c="dimmed">
            {t('revision.votesSoFar', {
              votes: num(revision.votes),
              readers: num(revision.readers),
            })}
          </Text>
        </Group>
        {previous === null ? null : !effect ? (
          <Text size="sm" fw={600} data-testid="not-enough-votes">
            {t('revision.notEnough', { previous })}
          </Text>
        ) : (
          <>
            <Text size="sm">
              {t('revision.difference', {
                difference: points(effect.difference),
                low: points(effect.low),
                high: points(effect.high),
                previous,
              })}
            </Text>
            <Text size="sm">{t('revision.probability', { probability: pct(effect.probabilityBetter), previous })}</Text>
            {effect.didDifference !== null && effect.didLow !== null && effect.didHigh !== null ? (
              <Text size="sm">
                {t('revision.did', {
                  difference: points(effect.didDifference),
                  low: points(effect.didLow),
                  high: points(effect.didHigh),
                })}
              </Text>
            ) : (
              <Text size="sm" c="dimmed">
                {t('revision.noDid')}
              </Text>
            )}
            {effect.contactRate ? <RateChange label={t('metric.contactRate')} change={effect.contactRate} /> : null}
            {effect.searchExitRate ? (
              <RateChange label={t('metric.searchExitRate')} change={effect.searchExitRate} />
            ) : null}
            <Text size="xs" c="dimmed">
              {t('revision.explain')}
            </Text>
          </>
        )}
        {previous === null && revision.helpfulRate !== null ? (
          <Text size="xs" c="dimmed">
            {t('revision.firstExplain', { rate: pctInterval(revision.helpfulRate, revision.low, revision.high) })}
          </Text>
        ) : null}
      </Stack>
    </Card>
  );
}
