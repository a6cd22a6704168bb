import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'wouter';
import { type Column, DataTable } from '../../components/DataTable.js';
import { FilterBar } from '../../components/FilterBar.js';
import { ChartFrame } from '../../components/insights/ChartFrame.js';
import { RateOverTimeChart } from '../../components/insights/charts.js';
import { day, num, pct, pctInterval, points } from '../../components/insights/format.js';
import { Empty, Loadable, RateCell } from '../../components/insights/parts.js';
import { RevisionCard } from '../../components/insights/RevisionCard.js';
import { CategoriesSection, MissingWordsSection, ReasonsSection } from '../../components/insights/sections.js';
import { PageHeader } from '../../components/PageHeader.js';
import {
  type ArticleInsightResponse,
  type RevisionsResponse,
  type TranslationHealth,
  useArticleInsight,
  useRevisionInsights,
} from './api.js';
import { LocaleFilter, PeriodFilter, queryOf, useUrlFilters } from './filters.js';
import { AlertList } from './OverviewScreen.js';

type Series = ArticleInsightResponse['series'];
type Markers = ArticleInsightResponse['revisionMarkers'];

/** Helpful rate per week with its interval band and the revisions' go-live lines; the table has the same numbers. */
export function RateOverTime({ series, markers, title }: { series: Series; markers: Markers; title: string }) {
  const { t } = useTranslation('insights');
  const nextWeek = (week: string) => new Date(Date.parse(`${week}T00:00:00Z`) + 7 * 86_400_000).toISOString();
  const liveIn = (week: string) =>
    markers
      .filter((m) => m.publishedAt >= `${week}T00:00:00` && m.publishedAt < nextWeek(week))
      .map((m) => `r${m.revision}`)
      .join(', ');
  return (
    <ChartFrame
      title={title}
      description={t('overTime.description')}
      testId="rate-chart"
      rows={series}
      rowKey={(p) => p.week}
      chart={<RateOverTimeChart series={series} markers={markers} />}
      columns={[
        { header: t('table.week'), cell: (p) => day(p.week) },
        { header: t('column.votes'), cell: (p) => num(p.votes) },
        { header: t('column.helpfulRate'), cell: (p) => pctInterval(p.rate, p.low, p.high) },
        { header: t('table.revisionLive'), cell: (p) => liveIn(p.week) || '—' },
      ]}
    />
  );
}

/** Before/after cards for every revision, newest first, each against the one before it. */
export function RevisionCards({ revisions, limit }: { revisions: RevisionsResponse['revisions']; limit?: number }) {
  const { t } = useTranslation('insights');
  const sorted = [...revisions].sort((a, b) => b.revision - a.revision);
  if (sorted.length === 0) return <Empty title={t('revisions.emptyTitle')} body={t('revisions.emptyBody')} />;
  return (
    <Stack gap="sm">
      {sorted.slice(0, limit).map((r, i) => (
        <RevisionCard key={r.revision} revision={r} previous={sorted[i + 1]?.revision ?? null} />
      ))}
    </Stack>
  );
}

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card withBorder radius="md" padding="sm">
      <Text size="xs" fw={600} c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" className="al-nowrap">
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Card>
  );
}

function TranslationsCompared({ rows, current }: { rows: TranslationHealth[]; current: string }) {
  const { t } = useTranslation('insights');
  const columns: Column<TranslationHealth>[] = [
    {
      key: 'locale',
      header: t('column.locale'),
      render: (r) => (
        <Group gap={4}>
          <Text size="sm" fw={r.locale === current ? 700 : 400}>
            {r.locale}
          </Text>
          {r.locale === r.sourceLocale ? (
            <Badge size="xs" variant="light" tt="none">
              {t('translations.source')}
            </Badge>
          ) : null}
          {r.outdated ? (
            <Badge size="xs" color="orange" variant="light" tt="none">
              {t('translations.outdated')}
            </Badge>
          ) : null}
        </Group>
      ),
    },
    { key: 'votes', header: t('column.votes'), render: (r) => num(r.votes) },
    {
      key: 'helpfulRate',
      header: t('column.helpfulRate'),
      render: (r) => <RateCell rate={r.helpfulRate} low={r.low} high={r.high} />,
    },
    {
      key: 'difference',
      header: t('translations.difference'),
      render: (r) =>
        r.difference === null ? '—' : t('translations.points', { points: points(r.difference), q: num(r.qValue, 3) }),
    },
    { key: 'contactRate', header: t('column.contactRate'), render: (r) => pct(r.contactRate) },
    {
      key: 'flagged',
      header: t('translations.flagged'),
      render: (r) =>
        r.flagged ? (
          <Badge color="red" variant="light" tt="none">
            {t('translations.needsWork')}
          </Badge>
        ) : (
          t('translations.ok')
        ),
    },
  ];
  return (
    <DataTable
      caption={t('detail.translations')}
      columns={columns}
      rows={rows}
      rowKey={(r) => r.locale}
      loading={false}
      error={null}
      onRetry={() => {}}
      empty={{ title: t('translations.emptyTitle'), body: t('translations.emptyBody') }}
    />
  );
}

/** One article in one locale: why it fails, in readers' words, and whether each edit helped. */
export function ArticleInsightScreen() {
  const { t } = useTranslation('insights');
  const params = useParams<{ slug: string }>();
  const filters = useUrlFilters(['locale', 'from', 'to'] as const);
  const insight = useArticleInsight(params.slug, queryOf(filters.values));
  const locale = filters.values.locale || insight.data?.locale;
  const revisions = useRevisionInsights(params.slug, locale);
  const editHref = `/articles/${encodeURIComponent(params.slug)}/${encodeURIComponent(locale ?? 'en')}`;
  return (
    <div className="al-page">
      <PageHeader
        title={insight.data?.title ?? params.slug}
        description={
          insight.data
            ? t('detail.description', {
                locale: `\u2068${insight.data.locale}\u2069`,
                from: day(insight.data.from),
                to: day(insight.data.to),
              })
            : null
        }
        helpNs="insights"
        actions={
          <Button component={Link} href={editHref} leftSection={<IconPencil size={16} aria-hidden />}>
            {t('detail.edit')}
          </Button>
        }
      />
      <FilterBar label={t('filters')}>
        <LocaleFilter value={filters.values.locale} onChange={(l) => filters.set({ locale: l })} />
        <PeriodFilter from={filters.values.from} to={filters.values.to} onChange={(p) => filters.set(p)} />
      </FilterBar>
      <Loadable query={insight}>
        {(data) => {
          const h = data.health;
          return (
            <Stack gap="lg">
              {h ? (
                <Stack gap="xs">
                  <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
                    <Figure
                      label={t('column.helpfulRate')}
                      value={pct(h.helpfulRate)}
                      hint={
                        h.helpfulRate === null
                          ? t('detail.noVotes')
                          : t('kpi.interval', { low: pct(h.low), high: pct(h.high) })
                      }
                    />
                    <Figure label={t('column.shrunkRate')} value={pct(h.shrunkRate)} />
                    <Figure
                      label={t('column.votes')}
                      value={num(h.votes)}
                      hint={t('detail.helpfulCount', { helpful: num(h.helpful) })}
                    />
                    <Figure
                      label={t('column.views')}
                      value={num(h.views)}
                      hint={t('detail.readers', { readers: num(h.readers) })}
                    />
                    <Figure
                      label={t('column.contactRate')}
                      value={pct(h.contactRate)}
                      hint={t('detail.tickets', { tickets: num(h.tickets) })}
                    />
                    <Figure label={t('metric.searchExitRate')} value={pct(h.searchExitRate)} />
                  </SimpleGrid>
                  {h.evidence ? (
                    <Text size="sm" fw={600} data-testid="evidence" dir="auto">
                      {h.evidence}
                    </Text>
                  ) : null}
                </Stack>
              ) : (
                <Empty title={t('detail.noDataTitle')} body={t('detail.noDataBody')} />
              )}
              <RateOverTime series={data.series} markers={data.revisionMarkers} title={t('overTime.title')} />
              <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
                <ReasonsSection reasons={data.reasons} />
                <Stack gap="lg">
                  <MissingWordsSection vocabulary={data.vocabulary} editHref={editHref} />
                  {data.categories.length > 0 ? <CategoriesSection categories={data.categories} /> : null}
                </Stack>
              </SimpleGrid>
              <Stack gap="xs" component="section" aria-labelledby="revisions-heading">
                <Title order={2} size="h3" id="revisions-heading">
                  {t('revisions.title')}
                </Title>
                <Text size="sm" c="dimmed">
                  {t('revisions.description')}
                </Text>
                <Loadable query={revisions} skeleton={120}>
                  {(r) => <RevisionCards revisions={r.revisions} />}
                </Loadable>
              </Stack>
              <Stack gap="xs" component="section" aria-labelledby="translations-heading">
                <Title order={2} size="h3" id="translations-heading">
                  {t('detail.translations')}
                </Title>
                <TranslationsCompared rows={data.translations} current={data.locale} />
              </Stack>
              {data.alerts.length > 0 ? (
                <Stack gap="xs">
                  <Title order={2} size="h3">
                    {t('alerts.title')}
                  </Title>
                  <AlertList alerts={data.alerts} />
                </Stack>
              ) : null}
            </Stack>
          );
        }}
      </Loadable>
    </div>
  );
}
