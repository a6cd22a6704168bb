import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { type Column, DataTable } from '../../components/DataTable.js';
import { FilterBar } from '../../components/FilterBar.js';
import { day, num, pct, points } from '../../components/insights/format.js';
import { CsvLink, RateCell } from '../../components/insights/parts.js';
import { PageHeader } from '../../components/PageHeader.js';
import { csvUrl, type TranslationHealth, useTranslationHealth } from './api.js';
import { PeriodFilter, queryOf, useUrlFilters } from './filters.js';
import { articleInsightHref } from './OverviewScreen.js';

/** Each translation against its source: worse or outdated while read, ranked by readers affected. */
export function TranslationHealthScreen() {
  const { t } = useTranslation('insights');
  const filters = useUrlFilters(['from', 'to'] as const);
  const query = queryOf(filters.values);
  const rows = useTranslationHealth(query);
  const columns: Column<TranslationHealth>[] = [
    {
      key: 'article',
      header: t('column.article'),
      render: (r) => (
        <Stack gap={0} className="al-title-cell">
          <Anchor component={Link} href={articleInsightHref(r.slug, r.locale)} fw={600}>
            <span dir="auto">{r.title}</span>
          </Anchor>
          <Text size="xs" c="dimmed">
            {t('translations.against', { locale: r.locale, source: r.sourceLocale })}
          </Text>
        </Stack>
      ),
    },
    { key: 'readersAffected', header: t('translations.readersAffected'), render: (r) => num(r.readersAffected) },
    {
      key: 'helpfulRate',
      header: t('column.helpfulRate'),
      render: (r) => <RateCell rate={r.helpfulRate} low={r.low} high={r.high} />,
    },
    { key: 'sourceRate', header: t('translations.sourceRate'), render: (r) => pct(r.sourceRate) },
    {
      key: 'difference',
      header: t('translations.difference'),
      render: (r) =>
        r.difference === null ? '—' : t('translations.points', { points: points(r.difference), q: num(r.qValue, 3) }),
    },
    {
      key: 'contact',
      header: t('column.contactRate'),
      render: (r) => `${pct(r.contactRate)} / ${pct(r.sourceContactRate)}`,
    },
    {
      key: 'flags',
      header: t('translations.flagged'),
      render: (r) => (
        <Group gap={4}>
          {r.flagged ? (
            <Badge color="red" variant="light" tt="none" className="al-badge-wrap">
              {t('translations.needsWork')}
            </Badge>
          ) : null}
          {r.outdated ? (
            <Badge color="orange" variant="light" tt="none" className="al-badge-wrap">
              {t('translations.outdated')}
            </Badge>
          ) : null}
          {!r.flagged && !r.outdated ? t('translations.ok') : null}
        </Group>
      ),
    },
  ];
  return (
    <div className="al-page">
      <PageHeader
        title={t('translations.title')}
        description={
          rows.data ? t('period', { from: day(rows.data.from), to: day(rows.data.to) }) : t('translations.description')
        }
        helpNs="insights"
        actions={<CsvLink href={csvUrl('/translations', query)} name="insights-translations" />}
      />
      <FilterBar label={t('filters')}>
        <PeriodFilter from={filters.values.from} to={filters.values.to} onChange={(p) => filters.set(p)} />
      </FilterBar>
      <DataTable
        caption={t('translations.title')}
        columns={columns}
        rows={rows.data?.translations}
        rowKey={(r) => `${r.slug}/${r.locale}`}
        loading={rows.isFetching}
        error={rows.error}
        onRetry={() => void rows.refetch()}
        empty={{ title: t('translations.emptyTitle'), body: t('translations.emptyBody') }}
      />
    </div>
  );
}
