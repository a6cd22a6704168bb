import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type Column, DataTable } from '../../components/DataTable.js';
import { FilterBar } from '../../components/FilterBar.js';
import { day, num, pct } from '../../components/insights/format.js';
import { CsvLink } from '../../components/insights/parts.js';
import { PageHeader } from '../../components/PageHeader.js';
import { csvUrl, type Gap, useGaps } from './api.js';
import { LocaleFilter, PeriodFilter, queryOf, useUrlFilters } from './filters.js';

/** What readers look for and do not find: clusters of weak searches and unmatched tickets, by volume. */
export function GapsScreen() {
  const { t } = useTranslation('insights');
  const filters = useUrlFilters(['locale', 'from', 'to'] as const);
  const query = queryOf(filters.values);
  const gaps = useGaps(query);
  const columns: Column<Gap>[] = [
    {
      key: 'phrase',
      header: t('gaps.phrase'),
      render: (r) => (
        <Stack gap={2} className="al-title-cell">
          <Text fw={600} size="sm" dir="auto">
            {r.phrase}
          </Text>
          {r.examples.slice(0, 3).map((e) => (
            <Text key={e} size="xs" c="dimmed" dir="auto">
              “{e}”
            </Text>
          ))}
        </Stack>
      ),
    },
    { key: 'volume', header: t('gaps.volume'), render: (r) => num(r.volume) },
    {
      key: 'trend',
      header: t('gaps.trend'),
      render: (r) => (r.trend === null ? t('gaps.new') : pct(r.trend)),
    },
    {
      key: 'detail',
      header: t('gaps.breakdown'),
      render: (r) =>
        t('gaps.breakdownText', {
          searches: num(r.searches),
          noResults: num(r.noResults),
          weak: num(r.weakResults),
          contact: num(r.contactAfter),
          tickets: num(r.tickets),
        }),
    },
    { key: 'locales', header: t('column.locale'), render: (r) => r.locales.join(', ') },
  ];
  return (
    <div className="al-page">
      <PageHeader
        title={t('gaps.title')}
        description={
          gaps.data ? t('period', { from: day(gaps.data.from), to: day(gaps.data.to) }) : t('gaps.description')
        }
        helpNs="insights"
        actions={<CsvLink href={csvUrl('/gaps', query)} name="insights-gaps" />}
      />
      <FilterBar label={t('filters')}>
        <LocaleFilter value={filters.values.locale} onChange={(locale) => filters.set({ locale })} />
        <PeriodFilter from={filters.values.from} to={filters.values.to} onChange={(p) => filters.set(p)} />
      </FilterBar>
      <DataTable
        caption={t('gaps.title')}
        columns={columns}
        rows={gaps.data?.gaps}
        rowKey={(r) => r.phrase}
        loading={gaps.isFetching}
        error={gaps.error}
        onRetry={() => void gaps.refetch()}
        empty={{ title: t('gaps.emptyTitle'), body: t('gaps.emptyBody') }}
      />
    </div>
  );
}
