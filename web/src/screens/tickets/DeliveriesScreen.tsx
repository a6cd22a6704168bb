import { Alert, Anchor, Button, Card, Group, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconInfoCircle, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ApiError } from '../../api/client.js';
import {
  DELIVERY_STATUSES,
  type DeliveryView,
  useDeliveries,
  useHelpdesk,
  useRetryDelivery,
} from '../../api/tickets.js';
import { useCan } from '../../app/session.js';
import { type Column, DataTable } from '../../components/DataTable.js';
import { notify } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { format } from '../../i18n.js';
import { DeliveryBadge, TicketTabs } from './parts.js';

/** The help desk: where tickets go, how the outbox stands, and the dead letters with a retry each. */
export function DeliveriesScreen() {
  const { t } = useTranslation('tickets');
  const canWrite = useCan('tickets.write');
  const helpdesk = useHelpdesk();
  const failed = useDeliveries('failed');
  const retry = useRetryDelivery();

  const columns: Column<DeliveryView>[] = [
    {
      key: 'ticket',
      header: t('column.ticket'),
      render: (row) => (
        <Stack gap={0}>
          <Anchor component={Link} href={`/tickets/${row.ticketId}`} fw={600}>
            <span dir="auto">{row.subject}</span>
          </Anchor>
          <Text size="xs" c="dimmed" dir="ltr" ta="start">
            {row.reference ?? `#${row.ticketId}`}
          </Text>
        </Stack>
      ),
    },
    { key: 'status', header: t('column.delivery'), render: (row) => <DeliveryBadge status={row.status} /> },
    { key: 'attempts', header: t('detail.attempts'), render: (row) => format.number(row.attempts) },
    {
      key: 'error',
      header: t('detail.lastError'),
      render: (row) => (
        <Text size="xs" dir="ltr" style={{ wordBreak: 'break-word' }}>
          {row.lastStatus ? `HTTP ${row.lastStatus} · ` : ''}
          {row.lastError ?? '—'}
        </Text>
      ),
    },
    {
      key: 'retry',
      header: <span className="al-visually-hidden">{t('retry.button')}</span>,
      render: (row) =>
        canWrite ? (
          <Button
            size="compact-sm"
            variant="light"
            color="orange"
            leftSection={<IconRefresh size={14} aria-hidden />}
            loading={retry.isPending && retry.variables === row.id}
            onClick={() =>
              retry.mutate(row.id, {
                onSuccess: () => notify('success', t('retry.done')),
                onError: (error) => notify('error', error instanceof ApiError ? error.message : String(error)),
              })
            }
          >
            {t('retry.button')}
          </Button>
        ) : null,
    },
  ];

  const status = helpdesk.data;
  return (
    <div className="al-page">
      <PageHeader title={t('deliveries.title')} description={t('deliveries.description')} helpNs="tickets" />
      <TicketTabs active="deliveries" />
      {helpdesk.isPending ? (
        <Skeleton height={90} radius="md" mb="md" />
      ) : helpdesk.error ? (
        <Alert color="red" role="alert" mb="md" title={t('common:error.loadTitle')}>
          {helpdesk.error instanceof ApiError ? helpdesk.error.message : String(helpdesk.error)}
        </Alert>
      ) : status && !status.configured ? (
        <Alert color="blue" icon={<IconInfoCircle aria-hidden />} mb="md" title={t('deliveries.noneTitle')}>
          <Text size="sm">{t('deliveries.noneBody')}</Text>
        </Alert>
      ) : status ? (
        <Stack gap="sm" mb="md">
          <Text size="sm" data-testid="helpdesk-target">
            {t('deliveries.target', { kind: t(`connector.${status.kind ?? 'webhook'}`), host: status.host ?? '—' })}
          </Text>
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
            {DELIVERY_STATUSES.map((s) => (
              <Card key={s} withBorder padding="sm" radius="md">
                <Group justify="space-between" wrap="nowrap">
                  <DeliveryBadge status={s} />
                  <Text fw={700} size="xl">
                    {format.number(status.counts[s] ?? 0)}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed" mt={4}>
                  {t(`deliveries.hint.${s}`)}
                </Text>
              </Card>
            ))}
          </SimpleGrid>
        </Stack>
      ) : null}
      <Text fw={700} mb="xs">
        {t('deliveries.deadLetters')}
      </Text>
      <DataTable
        caption={t('deliveries.deadLetters')}
        columns={columns}
        rows={failed.data?.deliveries}
        rowKey={(row) => String(row.id)}
        loading={failed.isFetching}
        error={failed.error}
        onRetry={() => void failed.refetch()}
        empty={{ title: t('deliveries.emptyTitle'), body: t('deliveries.emptyBody') }}
      />
    </div>
  );
}
