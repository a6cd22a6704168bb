import { Badge, Button, Card, CopyButton, Group, Stack, Text, Title } from '@mantine/core';
import { IconCheck, IconCopy, IconPencil } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { ArticleInsightResponse } from '../../screens/insights/api.js';
import { ChartFrame } from './ChartFrame.js';
import { HorizontalBarChart } from './charts.js';
import { num, pct, points } from './format.js';
import { Quote } from './parts.js';

type Reasons = ArticleInsightResponse['reasons'];
type Categories = ArticleInsightResponse['categories'];
type Vocabulary = ArticleInsightResponse['vocabulary'];

/** Why readers said "no": each reason's share as bars (with its table), then a few of their comments per reason. */
export function ReasonsSection({ reasons, commentsPerReason = 3 }: { reasons: Reasons; commentsPerReason?: number }) {
  const { t } = useTranslation('insights');
  const label = (reason: string) => t(`reason.${reason}`, { defaultValue: reason });
  return (
    <Stack gap="sm">
      <ChartFrame
        title={t('reasons.title')}
        description={t('reasons.description')}
        testId="reasons-chart"
        rows={reasons}
        rowKey={(r) => r.reason}
        chart={
          <HorizontalBarChart
            data={reasons.map((r) => ({ key: r.reason, label: label(r.reason), value: r.share }))}
            max={1}
          />
        }
        columns={[
          { header: t('reasons.reason'), cell: (r) => label(r.reason) },
          { header: t('reasons.votes'), cell: (r) => num(r.votes) },
          { header: t('reasons.share'), cell: (r) => pct(r.share) },
          {
            header: t('reasons.trend'),
            cell: (r) => (r.trend === null ? '—' : t('reasons.trendPoints', { points: points(r.trend) })),
          },
          { header: t('reasons.impact'), cell: (r) => t('reasons.trendPoints', { points: points(r.impact) }) },
        ]}
      />
      {reasons.some((r) => r.comments.length > 0) ? (
        <Card withBorder radius="md" padding="md" component="section" aria-label={t('reasons.comments')}>
          <Title order={2} size="h4" mb="xs">
            {t('reasons.comments')}
          </Title>
          <Stack gap="md">
            {reasons
              .filter((r) => r.comments.length > 0)
              .map((r) => (
                <Stack key={r.reason} gap={6} data-testid={`comments-${r.reason}`}>
                  <Group gap="xs">
                    <Text fw={600} size="sm">
                      {label(r.reason)}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t('reasons.summary', { share: pct(r.share), votes: num(r.votes), points: points(r.impact) })}
                    </Text>
                  </Group>
                  {r.comments.slice(0, commentsPerReason).map((c) => (
                    <Quote key={`${c.createdAt}-${c.text}`} text={c.text} lang={c.locale} />
                  ))}
                </Stack>
              ))}
          </Stack>
        </Card>
      ) : null}
    </Stack>
  );
}

/** The taxonomy categories found in the "no" comments and linked tickets, with examples. */
export function CategoriesSection({ categories }: { categories: Categories }) {
  const { t } = useTranslation('insights');
  return (
    <ChartFrame
      title={t('categories.title')}
      description={t('categories.description')}
      testId="categories-chart"
      rows={categories}
      rowKey={(c) => String(c.category.id)}
      chart={
        <HorizontalBarChart
          data={categories.map((c) => ({ key: c.category.slug, label: c.category.name, value: c.count }))}
          format={(v) => num(v)}
        />
      }
      columns={[
        { header: t('categories.category'), cell: (c) => c.category.name },
        { header: t('categories.count'), cell: (c) => num(c.count) },
        { header: t('categories.fromVotes'), cell: (c) => num(c.fromVotes) },
        { header: t('categories.fromTickets'), cell: (c) => num(c.fromTickets) },
        { header: t('reasons.share'), cell: (c) => pct(c.share) },
        {
          header: t('categories.example'),
          cell: (c) => (c.examples[0] ? <Quote text={c.examples[0].text} lang={c.examples[0].locale} /> : '—'),
        },
      ]}
    />
  );
}

/**
 * The words readers searched with before landing here that the article does not contain: candidates for keywords
 * or synonyms. One button copies them; another opens the editor.
 */
export function MissingWordsSection(props: { vocabulary: Vocabulary; editHref?: string }) {
  const { t } = useTranslation('insights');
  const missing = props.vocabulary.missing;
  const words = missing.map((m) => m.term).join(', ');
  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      component="section"
      aria-label={t('words.title')}
      data-testid="missing-words"
    >
      <Title order={2} size="h4">
        {t('words.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {t('words.description')}
      </Text>
      {missing.length === 0 ? (
        <Text size="sm">{t('words.none')}</Text>
      ) : (
        <Stack gap="xs">
          <Group gap={6} wrap="wrap">
            {missing.map((m) => (
              <Badge
                key={m.term}
                variant="light"
                tt="none"
                size="lg"
                title={m.queries.join(' · ')}
                className="al-wrap-anywhere"
              >
                <span dir="auto">{m.term}</span> · {num(m.count)}
              </Badge>
            ))}
          </Group>
          <Group gap="xs">
            <CopyButton value={words}>
              {({ copied, copy }) => (
                <Button
                  size="xs"
                  variant="default"
                  onClick={copy}
                  leftSection={copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
                >
                  {copied ? t('words.copied') : t('words.copy')}
                </Button>
              )}
            </CopyButton>
            {props.editHref ? (
              <Button
                size="xs"
                variant="light"
                component={Link}
                href={props.editHref}
                leftSection={<IconPencil size={14} aria-hidden />}
              >
                {t('words.edit')}
              </Button>
            ) : null}
          </Group>
        </Stack>
      )}
      {props.vocabulary.queries.length > 0 ? (
        <Text size="xs" c="dimmed" mt="xs">
          {t('words.queries')}{' '}
          {props.vocabulary.queries.slice(0, 8).map((q, i) => (
            // Each query isolated, in its own direction: a Latin query in an Arabic sentence keeps its quotes
            // and count in order.
            <span key={q.query}>
              {i > 0 ? ' · ' : null}
              <bdi>
                “{q.query}” ({num(q.count)})
              </bdi>
            </span>
          ))}
        </Text>
      ) : null}
    </Card>
  );
}
