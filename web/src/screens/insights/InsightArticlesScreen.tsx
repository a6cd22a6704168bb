import { Anchor, Badge, Checkbox, Group, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useTopics } from '../../api/topics.js';
import { type Column, DataTable } from '../../components/DataTable.js';
import { FilterBar } from '../../components/FilterBar.js';
import { day, num, pct, pctInterval } from '../../components/insights/format.js';
import { CsvLink, RateCell } from '../../components/insights/parts.js';
import { PageHeader } from '../../components/PageHeader.js';
import { type ArticleHealth, csvUrl, useInsightArticles } from './api.js';
import { LocaleFilter, PeriodFilter, queryOf, useUrlFilters } from './filters.js';
import { articleInsightHref } from './OverviewScreen.js';

const SORTS = ['impact', 'helpfulRate', 'shrunkRate', 'views', 'votes', 'contactRate'] as const;
type Sort = (typeof SORTS)[number];
/** The server's order for each sort: the worst first (lowest helpful rates, highest impact and contact rate). */
const ASCENDING = new Set<Sort>(['helpfulRate', 'shrunkRate']);
const LIMIT = 500;
const PAGE = 50;

/** Every article × locale with its health over a period, sortable by what to fix first, filters in the URL. */
export function InsightArticlesScreen() {
  const { t, i18n } = useTranslation('insights');
  const topics = useTopics();
  const filters = useUrlFilters(['locale', 'topic', 'from', 'to', 'belowAverage', 'declining', 'sort'] as const);
  const sort: Sort = (SORTS as readonly string[]).includes(filters.values.sort)
    ? (filters.values.sort as Sort)
    : 'impact';
  const query = { ...queryOf(filters.values), sort, limit: LIMIT };
  const rows = useInsightArticles(query);
  const [page, setPage] = useState(1);
  const set = (changes: Parameters<typeof filters.set>[0]) => {
    filters.set(changes);
    setPage(1);
  };
  const topicName = (slug: string) => {
    const node = topics.data?.topics.find((x) => x.slug === slug);
    return node?.names[i18n.language]?.name ?? node?.names.en?.name ?? slug;
  };

  const columns: Column<ArticleHealth>[] = [
    {
      key: 'title',
      header: t('column.article'),
      render: (row) => (
        <Stack gap={0} className="al-title-cell">
          <Anchor component={Link} href={articleInsightHref(row.slug, row.locale)} fw={600}>
            <span dir="auto">{row.title}</span>
          </Anchor>
          <Text size="xs" c="dimmed">
            {row.locale} · {row.topic.name}
          </Text>
          <Group gap={4}>
            {row.belowAverage ? (
              <Badge color="red" variant="light" tt="none" size="sm" title={row.evidence ?? undefined}>
                {t('flag.belowAverage')}
              </Badge>
            ) : null}
            {row.declining ? (
              <Badge color="orange" variant="light" tt="none" size="sm">
                {t('flag.declining')}
              </Badge>
            ) : null}
          </Group>
        </Stack>
      ),
    },
    { key: 'impact', header: t('column.impact'), sortable: true, render: (row) => num(row.impact) },
    {
      key: 'helpfulRate',
      header: t('column.helpfulRate'),
      sortable: true,
      render: (row) => <RateCell rate={row.helpfulRate} low={row.low} high={row.high} />,
    },
    { key: 'shrunkRate', header: t('column.shrunkRate'), sortable: true, render: (row) => pct(row.shrunkRate) },
    { key: 'views', header: t('column.views'), sortable: true, render: (row) => num(row.views) },
    { key: 'votes', header: t('column.votes'), sortable: true, render: (row) => num(row.votes) },
    { key: 'contactRate', header: t('column.contactRate'), sortable: true, render: (row) => pct(row.contactRate) },
  ];

  const list = rows.data?.articles;
  const shown = list?.slice((page - 1) * PAGE, page * PAGE);
  const average = rows.data?.average;
  const filtered = Object.entries(filters.values).some(([k, v]) => k !== 'sort' && v);
  return (
    <div className="al-page">
      <PageHeader
        title={t('articles.title')}
        description={
          rows.data && average
            ? t('articles.description', {
                from: day(rows.data.from),
                to: day(rows.data.to),
                average: pctInterval(average.rate, average.low, average.high),
                votes: num(average.votes),
              })
            : null
        }
        helpNs="insights"
        actions={<CsvLink href={csvUrl('/articles', query)} name="insights-articles" />}
      />
      <FilterBar label={t('filters')}>
        <LocaleFilter value={filters.values.locale} onChange={(locale) => set({ locale })} />
        <Select
          label={t('filter.topic')}
          placeholder={t('filter.allTopics')}
          data={(topics.data?.topics ?? []).map((x) => ({ value: x.slug, label: topicName(x.slug) }))}
          value={filters.values.topic || null}
          onChange={(topic) => set({ topic })}
          clearable
          searchable
          w={180}
        />
        <PeriodFilter from={filters.values.from} to={filters.values.to} onChange={(p) => set(p)} />
        <Stack gap={6} pb={4}>
          <Checkbox
            label={t('filter.belowAverage')}
            checked={filters.values.belowAverage === 'true'}
            onChange={(e) => set({ belowAverage: e.currentTarget.checked ? 'true' : null })}
          />
          <Checkbox
            label={t('filter.declining')}
            checked={filters.values.declining === 'true'}
            onChange={(e) => set({ declining: e.currentTarget.checked ? 'true' : null })}
          />
        </Stack>
      </FilterBar>
      <DataTable
        caption={t('articles.title')}
        columns={columns}
        rows={shown}
        rowKey={(row) => `${row.slug}/${row.locale}`}
        loading={rows.isFetching}
        error={rows.error}
        onRetry={() => void rows.refetch()}
        sort={{ key: sort, direction: ASCENDING.has(sort) ? 'asc' : 'desc' }}
        onSortChange={(s) => set({ sort: s.key === 'impact' ? null : s.key })}
        empty={
          filtered
            ? { title: t('articles.emptyFilteredTitle'), body: t('articles.emptyFilteredBody') }
            : { title: t('articles.emptyTitle'), body: t('articles.emptyBody') }
        }
        page={page}
        pageSize={PAGE}
        total={list?.length}
        onPageChange={setPage}
      />
    </div>
  );
}
