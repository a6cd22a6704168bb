import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useCan } from '../../app/session.js';
import { FilterBar } from '../../components/FilterBar.js';
import { ChartFrame } from '../../components/insights/ChartFrame.js';
import { SparklineChart } from '../../components/insights/charts.js';
import { day, num, pct, pctInterval } from '../../components/insights/format.js';
import { Change, Empty, Loadable, RateCell } from '../../components/insights/parts.js';
import { notify } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { errorText } from '../editor/EditorScreen.js';
import { type Alert, type ArticleHealth, type OverviewResponse, useAcknowledgeAlert, useOverview } from './api.js';
import { LocaleFilter, PeriodFilter, queryOf, useUrlFilters } from './filters.js';

type KpiKey = keyof OverviewResponse['kpis'];
/** Which way is good news for each KPI: a falling contact or search-exit rate is an improvement. */
const KPIS: { key: KpiKey; higherIsBetter: boolean; kind: 'rate' | 'ratio' }[] = [
  { key: 'helpfulRate', higherIsBetter: true, kind: 'rate' },
  { key: 'contactRate', higherIsBetter: false, kind: 'rate' },
  // Readers per person who filed a ticket: a ratio, not a share.
  { key: 'selfServiceScore', higherIsBetter: true, kind: 'ratio' },
  { key: 'searchExitRate', higherIsBetter: false, kind: 'rate' },
];

export function articleInsightHref(slug: string, locale: string): string {
  return `/insights/articles/${encodeURIComponent(slug)}?locale=${encodeURIComponent(locale)}`;
}

function KpiCard({
  kpi,
  id,
  higherIsBetter,
  kind,
}: {
  kpi: OverviewResponse['kpis'][KpiKey];
  id: KpiKey;
  higherIsBetter: boolean;
  kind: 'rate' | 'ratio';
}) {
  const { t } = useTranslation('insights');
  const show = (v: number | null) => (kind === 'ratio' ? num(v, 1) : pct(v));
  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      component="section"
      aria-label={t(`metric.${id}`)}
      data-testid={`kpi-${id}`}
    >
      <Text size="sm" fw={600}>
        {t(`metric.${id}`)}
      </Text>
      <Text className="al-kpi-value">{show(kpi.value)}</Text>
      <Text size="xs" c="dimmed">
        {kind === 'ratio'
          ? t('kpi.ratioHint')
          : kpi.low !== null && kpi.high !== null
            ? t('kpi.interval', { low: pct(kpi.low), high: pct(kpi.high) })
            : t('kpi.noInterval')}
      </Text>
      <Change
        current={kpi.value}
        previous={kpi.previous}
        higherIsBetter={higherIsBetter}
        kind={kind}
        threshold={kind === 'ratio' ? 0.05 : undefined}
      />
      <ChartFrame
        compact
        title={t('kpi.trend', { metric: t(`metric.${id}`) })}
        rows={kpi.series}
        rowKey={(p) => p.day}
        chart={<SparklineChart series={kpi.series} />}
        columns={[
          { header: t('table.day'), cell: (p) => day(p.day) },
          { header: t(`metric.${id}`), cell: (p) => show(p.value) },
        ]}
      />
    </Card>
  );
}

const SEVERITY_COLOR: Record<Alert['severity'], string> = { info: 'blue', warning: 'orange', critical: 'red' };

/** Open alerts, newest first, each with its figures in words and (for insights.write) an acknowledge button. */
export function AlertList({ alerts, compact }: { alerts: Alert[]; compact?: boolean }) {
  const { t } = useTranslation('insights');
  const canWrite = useCan('insights.write');
  const acknowledge = useAcknowledgeAlert();
  if (alerts.length === 0) return <Empty title={t('alerts.emptyTitle')} body={t('alerts.emptyBody')} />;
  return (
    <Stack gap="xs">
      {alerts.map((alert) => (
        <Card key={alert.id} withBorder padding="sm" radius="md" component="article" data-testid="alert">
          <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
            <Stack gap={2} className="al-wrap-anywhere">
              <Group gap={6}>
                <Badge color={SEVERITY_COLOR[alert.severity]} variant="light" tt="none">
                  {t(`alerts.severity.${alert.severity}`)}
                </Badge>
                <Text size="xs" c="dimmed">
                  {t(`alerts.kind.${alert.kind}`)} · {day(alert.createdAt)}
                </Text>
              </Group>
              {alert.slug && alert.locale ? (
                <Anchor component={Link} href={articleInsightHref(alert.slug, alert.locale)} fw={600} size="sm">
                  <span dir="auto">{alert.title}</span>
                </Anchor>
              ) : (
                <Text fw={600} size="sm" dir="auto">
                  {alert.title}
                </Text>
              )}
              {compact ? null : (
                <Text size="sm" dir="auto">
                  {alert.message}
                </Text>
              )}
              {alert.acknowledgedAt ? (
                <Text size="xs" c="dimmed">
                  {t('alerts.acknowledgedAt', { date: day(alert.acknowledgedAt) })}
                </Text>
              ) : null}
            </Stack>
            {canWrite && !alert.acknowledgedAt ? (
              <Button
                size="xs"
                variant="default"
                flex="none"
                loading={acknowledge.isPending && acknowledge.variables === alert.id}
                onClick={() =>
                  acknowledge.mutate(alert.id, {
                    onSuccess: () => notify('success', t('alerts.acknowledged')),
                    onError: (e) => notify('error', errorText(e)),
                  })
                }
                aria-label={t('alerts.acknowledgeNamed', { title: alert.title })}
              >
                {t('alerts.acknowledge')}
              </Button>
            ) : null}
          </Group>
        </Card>
      ))}
    </Stack>
  );
}

/** Why an article is on the "fix first" list, in words with its numbers. */
export function whyListed(row: ArticleHealth, t: (key: string, options?: Record<string, unknown>) => string): string {
  const parts: string[] = [];
  if (row.evidence) parts.push(row.evidence);
  else if (row.belowAverage)
    parts.push(t('why.belowAverage', { rate: pctInterval(row.helpfulRate, row.low, row.high) }));
  if (row.declining) parts.push(t('why.declining'));
  if (parts.length === 0) parts.push(t('why.impact', { impact: num(row.impact) }));
  return parts.join(' · ');
}

function FixFirst({ rows }: { rows: ArticleHealth[] }) {
  const { t } = useTranslation('insights');
  if (rows.length === 0) return <Empty title={t('fixFirst.emptyTitle')} body={t('fixFirst.emptyBody')} />;
  return (
    <Stack gap="xs" component="ol" className="al-fix-first">
      {rows.map((row) => (
        <Card
          key={`${row.slug}/${row.locale}`}
          component="li"
          withBorder
          padding="sm"
          radius="md"
          data-testid="fix-first"
        >
          <Group justify="space-between" align="flex-start" gap="xs">
            <Stack gap={2} className="al-wrap-anywhere">
              <Anchor component={Link} href={articleInsightHref(row.slug, row.locale)} fw={600}>
                <span dir="auto">{row.title}</span>
              </Anchor>
              <Text size="xs" c="dimmed">
                {row.locale} · {row.topic.name}
              </Text>
              <Text size="sm" dir="auto">
                {whyListed(row, t)}
              </Text>
            </Stack>
            <Stack gap={2} align="flex-end">
              <Text size="sm" fw={700}>
                {t('fixFirst.impact', { impact: num(row.impact) })}
              </Text>
              <RateCell rate={row.helpfulRate} low={row.low} high={row.high} />
            </Stack>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}

/** The help center at a glance: KPIs with their intervals and change, open alerts, and the articles to fix first. */
export function OverviewScreen() {
  const { t } = useTranslation('insights');
  const filters = useUrlFilters(['locale', 'from', 'to'] as const);
  const overview = useOverview(queryOf(filters.values));
  return (
    <div className="al-page">
      <PageHeader
        title={t('overview.title')}
        description={
          overview.data
            ? t('period', { from: day(overview.data.from), to: day(overview.data.to) })
            : t('overview.description')
        }
        helpNs="insights"
      />
      <FilterBar label={t('filters')}>
        <LocaleFilter value={filters.values.locale} onChange={(locale) => filters.set({ locale })} />
        <PeriodFilter from={filters.values.from} to={filters.values.to} onChange={(p) => filters.set(p)} />
      </FilterBar>
      <Loadable query={overview}>
        {(data) => (
          <Stack gap="lg">
            <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} spacing="sm">
              {KPIS.map((k) => (
                <KpiCard
                  key={k.key}
                  id={k.key}
                  kpi={data.kpis[k.key]}
                  higherIsBetter={k.higherIsBetter}
                  kind={k.kind}
                />
              ))}
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
              <Stack gap="xs">
                <Group justify="space-between">
                  <Title order={2} size="h3">
                    {t('fixFirst.title')}
                  </Title>
                  <Anchor component={Link} href="/insights/articles" size="sm">
                    {t('fixFirst.all')}
                  </Anchor>
                </Group>
                <Text size="sm" c="dimmed">
                  {t('fixFirst.description')}
                </Text>
                <FixFirst rows={data.fixFirst} />
              </Stack>
              <Stack gap="xs">
                <Group justify="space-between">
                  <Title order={2} size="h3">
                    {t('alerts.open')}
                  </Title>
                  <Anchor component={Link} href="/insights/alerts" size="sm">
                    {t('alerts.all')}
                  </Anchor>
                </Group>
                <AlertList alerts={data.alerts} />
              </Stack>
            </SimpleGrid>
          </Stack>
        )}
      </Loadable>
    </div>
  );
}
