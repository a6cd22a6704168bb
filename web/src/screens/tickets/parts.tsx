import { Badge, Group, Tabs } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconClock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import './tickets.css';
import { useLocation } from 'wouter';
import type { DeliveryStatus } from '../../api/tickets.js';

const DELIVERY = {
  pending: { color: 'blue', Icon: IconClock },
  delivered: { color: 'green', Icon: IconCheck },
  // A dark red so white text keeps its contrast (axe: color-contrast).
  failed: { color: 'red.9', Icon: IconAlertTriangle },
} as const;

/** A help-desk delivery status: icon and word as well as colour (never colour alone). */
export function DeliveryBadge({ status }: { status: DeliveryStatus | null | undefined }) {
  const { t } = useTranslation('tickets');
  if (!status) {
    return (
      <Badge color="gray" variant="outline" radius="sm" tt="none">
        {t('delivery.local')}
      </Badge>
    );
  }
  const { color, Icon } = DELIVERY[status];
  return (
    <Badge
      color={color}
      variant={status === 'failed' ? 'filled' : 'light'}
      radius="sm"
      tt="none"
      leftSection={<Icon size={12} aria-hidden />}
      data-testid="delivery-status"
      data-status={status}
    >
      {t(`delivery.${status}`)}
    </Badge>
  );
}

/** A prediction as "category · 82 %". */
export function PredictionText({ category, confidence }: { category: string | null; confidence: number | null }) {
  const { t } = useTranslation('tickets');
  if (!category) return <span>—</span>;
  return (
    <Group gap={4} wrap="nowrap">
      <span>{category}</span>
      {confidence !== null ? (
        <Badge size="xs" variant="light" color="gray" radius="sm" tt="none">
          {t('confidence', { value: Math.round(confidence * 100) })}
        </Badge>
      ) : null}
    </Group>
  );
}

/** Tickets | Help desk: the two screens of the agent's area. */
export function TicketTabs({ active }: { active: 'list' | 'deliveries' }) {
  const { t } = useTranslation('tickets');
  const [, navigate] = useLocation();
  return (
    <Tabs
      value={active}
      onChange={(value) => navigate(value === 'deliveries' ? '/tickets/deliveries' : '/tickets')}
      mb="md"
    >
      <Tabs.List>
        <Tabs.Tab value="list">{t('tabs.tickets')}</Tabs.Tab>
        <Tabs.Tab value="deliveries">{t('tabs.deliveries')}</Tabs.Tab>
      </Tabs.List>
    </Tabs>
  );
}
