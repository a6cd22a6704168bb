import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type Column, DataTable } from '../../components/DataTable.js';
import { FilterBar } from '../../components/FilterBar.js';
import { ChartFrame } from '../../components/insights/ChartFrame.js';
import { HorizontalBarChart } from '../../components/insights/charts.js';
import { day, num } from '../../components/insights/format.js';
import { CsvLink } from '../../components/insights/parts.js';
import { PageHeader } from '../../components/PageHeader.js';
import { csvUrl, useVocabulary, type VocabularyTerm } from './api.js';
import { LocaleFilter, PeriodFilter, queryOf, useUrlFilters } from './filters.js';

/** The words readers and customers use that the articles do not, most distinctive first. */
export function VocabularyScreen() {
  const { t } = useTranslation('insights');
  const filters = useUrlFilters(['locale', 'from', 'to'] as const);
  const query = queryOf(filters.values);
  const vocabulary = useVocabulary(query);
  const terms = vocabulary.data?.terms;
  const columns: Column<VocabularyTerm>[] = [
    {
      key: 'term',
      header: t('vocabulary.term'),
      render: (r) => (
        <Text fw={600} size="sm" dir="auto" className="al-wrap-anywhere">
          {r.term}
        </Text>
      ),
    },
    { key: 'count', header: t('vocabulary.count'), render: (r) => num(r.count) },
    { key: 'zScore', header: t('vocabulary.zScore'), render: (r) => num(r.zScore, 1) },
    {
      key: 'sources',
      header: t('vocabulary.sources'),
      render: (r) =>
        t('vocabulary.sourceCounts', {
          search: num(r.sources.search),
          comment: num(r.sources.comment),
          ticket: num(r.sources.ticket),
        }),
    },
    {
      key: 'examples',
      header: t('vocabulary.examples'),
      render: (r) => (
        <Stack gap={2} className="al-title-cell">
          {r.examples.slice(0, 2).map((e) => (
            <Text key={e} size="xs" dir="auto">
              “{e}”
            </Text>
          ))}
        </Stack>
      ),
    },
  ];
  return (
    <div className="al-page">
      <PageHeader
        title={t('vocabulary.title')}
        description={
          vocabulary.data
            ? t('period', { from: day(vocabulary.data.from), to: day(vocabulary.data.to) })
            : t('vocabulary.description')
        }
        helpNs="insights"
        actions={<CsvLink href={csvUrl('/vocabulary', query)} name="insights-vocabulary" />}
      />
      <FilterBar label={t('filters')}>
        <LocaleFilter value={filters.values.locale} onChange={(locale) => filters.set({ locale })} />
        <PeriodFilter from={filters.values.from} to={filters.values.to} onChange={(p) => filters.set(p)} />
      </FilterBar>
      <Stack gap="lg">
        {terms && terms.length > 0 ? (
          <ChartFrame
            title={t('vocabulary.chart')}
            rows={terms.slice(0, 15)}
            rowKey={(r) => r.term}
            chart={
              <HorizontalBarChart
                data={terms.slice(0, 15).map((r) => ({ key: r.term, label: r.term, value: r.count }))}
                format={(v) => num(v)}
              />
            }
            columns={[
              { header: t('vocabulary.term'), cell: (r) => r.term },
              { header: t('vocabulary.count'), cell: (r) => num(r.count) },
            ]}
          />
        ) : null}
        <DataTable
          caption={t('vocabulary.title')}
          columns={columns}
          rows={terms}
          rowKey={(r) => r.term}
          loading={vocabulary.isFetching}
          error={vocabulary.error}
          onRetry={() => void vocabulary.refetch()}
          empty={{ title: t('vocabulary.emptyTitle'), body: t('vocabulary.emptyBody') }}
        />
      </Stack>
    </div>
  );
}
