import { Anchor, Button, Card, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { LIMITS } from '../../../../src/shared/limits.js';
import { useArticleRows } from '../../api/articles.js';
import type { ArticleRow, TranslationStatus } from '../../api/contract.js';
import { useLocaleMap } from '../../api/locales.js';
import { useTopics } from '../../api/topics.js';
import { useCan } from '../../app/session.js';
import { type Column, DataTable } from '../../components/DataTable.js';
import { FilterBar } from '../../components/FilterBar.js';
import { PageHeader } from '../../components/PageHeader.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { format } from '../../i18n.js';

const PAGE_SIZE = 50;
const STATUSES: TranslationStatus[] = ['published', 'draft', 'outdated', 'missing'];

/** Where a locale's badge leads: the editor for the source, the side-by-side translation screen for the others. */
export function translationHref(row: Pick<ArticleRow, 'slug' | 'sourceLocale'>, locale: string): string {
  return locale === row.sourceLocale ? `/articles/${row.slug}/${locale}` : `/translations/${row.slug}/${locale}`;
}

/** Every article with its status per locale: filters, search, counts and server paging. */
export function ArticlesScreen() {
  const { t, i18n } = useTranslation('articles');
  const canWrite = useCan('content.write');
  const locales = useLocaleMap();
  const topics = useTopics();
  const [q, setQ] = useState('');
  const [author, setAuthor] = useState('');
  const [topic, setTopic] = useState<string | null>(null);
  const [locale, setLocale] = useState<string | null>(null);
  const [status, setStatus] = useState<TranslationStatus | null>(null);
  const [page, setPage] = useState(1);
  const [debouncedQ] = useDebouncedValue(q.trim(), 250);
  const [debouncedAuthor] = useDebouncedValue(author.trim(), 250);

  const rows = useArticleRows({
    q: debouncedQ || undefined,
    author: debouncedAuthor || undefined,
    topic: topic ?? undefined,
    locale: locale ?? undefined,
    status: status ?? undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });
  const filter =
    <T,>(set: (v: T) => void) =>
    (value: T) => {
      set(value);
      setPage(1);
    };

  const topicName = (slug: string) => {
    const node = topics.data?.topics.find((x) => x.slug === slug);
    return node?.names[i18n.language]?.name ?? node?.names.en?.name ?? slug;
  };
  const shownLocales = locale ? [locale] : locales.list.map((l) => l.code);

  const columns: Column<ArticleRow>[] = [
    {
      key: 'title',
      header: t('column.article'),
      render: (row) => {
        const shown = (locale && row.translations[locale]?.title) || row.translations[row.sourceLocale]?.title;
        return (
          <Stack gap={0}>
            <Anchor component={Link} href={`/articles/${row.slug}/${locale ?? row.sourceLocale}`} fw={600}>
              <span dir="auto">{shown ?? row.slug}</span>
            </Anchor>
            <Text size="xs" c="dimmed" dir="ltr" ta="start">
              {row.slug}
            </Text>
          </Stack>
        );
      },
    },
    { key: 'topic', header: t('column.topic'), render: (row) => topicName(row.topic.slug) },
    {
      key: 'status',
      header: t('column.status'),
      render: (row) => (
        <div className="al-status-cell">
          {shownLocales.map((code) => {
            const cell = row.translations[code];
            if (!cell) return null;
            return (
              <Link
                key={code}
                href={translationHref(row, code)}
                className="al-status-link"
                title={`${locales.name(code)}${cell.title ? `: ${cell.title}` : ''}`}
              >
                <StatusBadge status={cell.status} label={code} />
              </Link>
            );
          })}
        </div>
      ),
    },
    { key: 'updated', header: t('column.updated'), render: (row) => format.date(row.updatedAt) },
  ];

  const counts = rows.data?.counts;
  const filtered = !!(debouncedQ || debouncedAuthor || topic || locale || status);
  return (
    <div className="al-page">
      <PageHeader
        title={t('title')}
        description={rows.data ? t('summary', { count: rows.data.total, total: format.number(rows.data.total) }) : null}
        helpNs="articles"
        actions={
          canWrite ? (
            <Button component={Link} href="/articles/new" leftSection={<IconPlus size={16} aria-hidden />}>
              {t('new')}
            </Button>
          ) : null
        }
      />
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" mb="md">
        {STATUSES.map((s) => (
          <Card
            key={s}
            withBorder
            padding="sm"
            radius="md"
            component="button"
            type="button"
            className="al-count-card"
            data-active={status === s}
            aria-pressed={status === s}
            onClick={() => filter(setStatus)(status === s ? null : s)}
          >
            <Group justify="space-between" wrap="nowrap">
              <StatusBadge status={s} />
              <Text fw={700} size="xl">
                {counts ? format.number(counts[s]) : '–'}
              </Text>
            </Group>
            <Text size="xs" c="dimmed" ta="start" mt={4}>
              {t(`countHint.${s}`)}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      <FilterBar label={t('filters')}>
        <TextInput
          label={t('filter.search')}
          placeholder={t('filter.searchPlaceholder')}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={q}
          onChange={(e) => filter(setQ)(e.currentTarget.value)}
          maxLength={LIMITS.searchQuery}
          w={220}
        />
        <Select
          label={t('filter.topic')}
          placeholder={t('filter.any')}
          data={(topics.data?.topics ?? []).map((x) => ({ value: x.slug, label: topicName(x.slug) }))}
          value={topic}
          onChange={filter(setTopic)}
          clearable
          searchable
          w={170}
        />
        <Select
          label={t('filter.locale')}
          placeholder={t('filter.any')}
          data={locales.list.map((l) => ({ value: l.code, label: `${l.name} (${l.code})` }))}
          value={locale}
          onChange={filter(setLocale)}
          clearable
          w={160}
        />
        <Select
          label={t('filter.status')}
          placeholder={t('filter.any')}
          data={STATUSES.map((s) => ({ value: s, label: t(`common:status.${s}`) }))}
          value={status}
          onChange={(v) => filter(setStatus)(v as TranslationStatus | null)}
          clearable
          w={140}
        />
        <TextInput
          label={t('filter.author')}
          value={author}
          onChange={(e) => filter(setAuthor)(e.currentTarget.value)}
          maxLength={LIMITS.authorName}
          w={150}
        />
      </FilterBar>
      <DataTable
        caption={t('title')}
        columns={columns}
        rows={rows.data?.articles}
        rowKey={(row) => row.slug}
        loading={rows.isFetching}
        error={rows.error}
        onRetry={() => void rows.refetch()}
        empty={
          filtered
            ? { title: t('empty.filteredTitle'), body: t('empty.filteredBody') }
            : {
                title: t('empty.title'),
                body: t('empty.body'),
                action: canWrite ? (
                  <Button component={Link} href="/articles/new" size="xs" mt="xs">
                    {t('new')}
                  </Button>
                ) : undefined,
              }
        }
        page={page}
        pageSize={PAGE_SIZE}
        total={rows.data?.total}
        onPageChange={setPage}
      />
    </div>
  );
}
