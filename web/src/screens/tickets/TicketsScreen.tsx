import { Anchor, Button, Group, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useForms } from '../../api/forms.js';
import { useLocaleMap } from '../../api/locales.js';
import {
  DELIVERY_STATUSES,
  type DeliveryStatus,
  TICKET_STATUSES,
  type TicketFilters,
  type TicketStatus,
  type TicketView,
  useTickets,
} from '../../api/tickets.js';
import { type Column, DataTable } from '../../components/DataTable.js';
import { FilterBar } from '../../components/FilterBar.js';
import { PageHeader } from '../../components/PageHeader.js';
import { format } from '../../i18n.js';
import { DeliveryBadge, PredictionText, TicketTabs } from './parts.js';

/** The model's answer on a ticket: the form's recorded prediction, else the item's latest predicted label. */
export function predictionOf(ticket: TicketView): { category: string | null; confidence: number | null } {
  const fromForm = ticket.form?.prediction;
  if (fromForm) return { category: fromForm.category, confidence: fromForm.confidence };
  const predicted = ticket.labels?.predicted;
  if (predicted) return { category: predicted.name ?? predicted.category, confidence: predicted.confidence };
  return { category: null, confidence: null };
}

/** The agent's list: every ticket, newest first, with its form, prediction and help-desk delivery. */
export function TicketsScreen() {
  const { t } = useTranslation('tickets');
  const forms = useForms();
  const locales = useLocaleMap();
  const [filters, setFilters] = useState<TicketFilters>({});
  const tickets = useTickets(filters);
  const rows = tickets.data?.pages.flatMap((page) => page.tickets);
  const set = (changes: TicketFilters) => setFilters({ ...filters, ...changes });
  const filtered = Object.values(filters).some((v) => v !== undefined);

  const columns: Column<TicketView>[] = [
    {
      key: 'subject',
      header: t('column.ticket'),
      render: (ticket) => (
        <Stack gap={0}>
          <Anchor component={Link} href={`/tickets/${ticket.id}`} fw={600}>
            <span dir="auto">{ticket.subject}</span>
          </Anchor>
          <Text size="xs" c="dimmed" dir="ltr" ta="start">
            {ticket.reference ?? `#${ticket.id}`}
          </Text>
        </Stack>
      ),
    },
    { key: 'form', header: t('column.form'), render: (ticket) => ticket.form?.key ?? t(`source.${ticket.source}`) },
    { key: 'locale', header: t('column.locale'), render: (ticket) => ticket.locale ?? '—' },
    { key: 'status', header: t('column.status'), render: (ticket) => t(`status.${ticket.status}`) },
    {
      key: 'prediction',
      header: t('column.prediction'),
      render: (ticket) => <PredictionText {...predictionOf(ticket)} />,
    },
    {
      key: 'delivery',
      header: t('column.delivery'),
      render: (ticket) => <DeliveryBadge status={ticket.delivery?.status} />,
    },
    { key: 'created', header: t('column.created'), render: (ticket) => format.date(ticket.createdAt) },
  ];

  return (
    <div className="al-page">
      <PageHeader title={t('title')} description={t('description')} helpNs="tickets" />
      <TicketTabs active="list" />
      <FilterBar label={t('filters')}>
        <Select
          label={t('filter.status')}
          placeholder={t('filter.any')}
          data={TICKET_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          value={filters.status ?? null}
          onChange={(v) => set({ status: (v as TicketStatus | null) ?? undefined })}
          clearable
          w={150}
        />
        <Select
          label={t('filter.form')}
          placeholder={t('filter.any')}
          data={(forms.data?.forms ?? []).map((f) => ({ value: f.key, label: f.key }))}
          value={filters.form ?? null}
          onChange={(v) => set({ form: v ?? undefined })}
          clearable
          w={170}
        />
        <Select
          label={t('filter.delivery')}
          placeholder={t('filter.any')}
          data={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`delivery.${s}`) }))}
          value={filters.delivery ?? null}
          onChange={(v) => set({ delivery: (v as DeliveryStatus | null) ?? undefined })}
          clearable
          w={160}
        />
        <Select
          label={t('filter.locale')}
          placeholder={t('filter.any')}
          data={locales.list.map((l) => ({ value: l.code, label: `${l.name} (${l.code})` }))}
          value={filters.locale ?? null}
          onChange={(v) => set({ locale: v ?? undefined })}
          clearable
          w={170}
        />
      </FilterBar>
      <DataTable
        caption={t('title')}
        columns={columns}
        rows={rows}
        rowKey={(ticket) => String(ticket.id)}
        loading={tickets.isFetching}
        error={tickets.error}
        onRetry={() => void tickets.refetch()}
        empty={
          filtered
            ? { title: t('empty.filteredTitle'), body: t('empty.filteredBody') }
            : { title: t('empty.title'), body: t('empty.body') }
        }
      />
      {tickets.hasNextPage ? (
        <Group justify="center" mt="md">
          <Button variant="default" loading={tickets.isFetchingNextPage} onClick={() => void tickets.fetchNextPage()}>
            {t('more')}
          </Button>
        </Group>
      ) : null}
    </div>
  );
}
