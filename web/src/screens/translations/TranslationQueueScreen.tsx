import { Anchor, Button, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { QueueItem } from '../../api/contract.js';
import { useLocaleMap } from '../../api/locales.js';
import { useTranslationQueue } from '../../api/translations.js';
import { useUser } from '../../app/session.js';
import { type Column, DataTable } from '../../components/DataTable.js';
import { FilterBar } from '../../components/FilterBar.js';
import { PageHeader } from '../../components/PageHeader.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { format } from '../../i18n.js';

/** Outdated and missing translations, ordered by the readers they affect (views in that locale, 30 days). */
export function TranslationQueueScreen() {
  const { t } = useTranslation('translations');
  const user = useUser();
  const locales = useLocaleMap();
  const [locale, setLocale] = useState<string | null>(null);
  const queue = useTranslationQueue(locale ?? undefined);
  // A translator sees only their locales (the server filters too); others choose among all but the source.
  const choices = user.role === 'translator' ? locales.list.filter((l) => user.locales.includes(l.code)) : locales.list;

  const columns: Column<QueueItem>[] = [
    {
      key: 'article',
      header: t('column.article'),
      render: (item) => (
        <Stack gap={0}>
          <Anchor component={Link} href={`/translations/${item.slug}/${item.locale}`} fw={600}>
            <span dir="auto">{item.title ?? item.sourceTitle}</span>
          </Anchor>
          {item.title ? (
            <Text size="xs" c="dimmed" dir="auto">
              {item.sourceTitle}
            </Text>
          ) : null}
        </Stack>
      ),
    },
    { key: 'locale', header: t('column.locale'), render: (item) => locales.name(item.locale) },
    { key: 'status', header: t('column.status'), render: (item) => <StatusBadge status={item.status} /> },
    {
      key: 'views',
      header: t('column.readers'),
      render: (item) => <Text fw={600}>{format.number(item.views)}</Text>,
    },
    {
      key: 'source',
      header: t('column.source'),
      render: (item) =>
        item.translatedFrom
          ? t('revisionsBehind', { from: item.translatedFrom, to: item.sourceRevision })
          : t('notTranslated', { to: item.sourceRevision }),
    },
    {
      key: 'action',
      header: <span className="al-visually-hidden">{t('column.action')}</span>,
      render: (item) => (
        <Button component={Link} href={`/translations/${item.slug}/${item.locale}`} size="xs" variant="light">
          {item.status === 'missing' ? t('translate') : t('update')}
          <span className="al-visually-hidden">
            {' '}
            {t('translateNamed', { title: item.sourceTitle, locale: locales.name(item.locale) })}
          </span>
        </Button>
      ),
    },
  ];

  return (
    <div className="al-page">
      <PageHeader
        title={t('title')}
        description={queue.data ? t('summary', { count: queue.data.items.length }) : null}
        helpNs="translations"
      />
      <FilterBar label={t('filters')}>
        <Select
          label={t('filter.locale')}
          placeholder={user.role === 'translator' ? t('filter.mine') : t('filter.any')}
          data={choices.map((l) => ({ value: l.code, label: `${l.name} (${l.code})` }))}
          value={locale}
          onChange={setLocale}
          clearable
          w={220}
        />
      </FilterBar>
      <DataTable
        caption={t('title')}
        columns={columns}
        rows={queue.data?.items}
        rowKey={(item) => `${item.slug}/${item.locale}`}
        loading={queue.isFetching}
        error={queue.error}
        onRetry={() => void queue.refetch()}
        empty={{ title: t('empty.title'), body: t('empty.body') }}
      />
    </div>
  );
}
