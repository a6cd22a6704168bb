import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TranslationStatus } from '../api/contract.js';

const COLORS: Record<TranslationStatus, string> = {
  published: 'green',
  draft: 'blue',
  outdated: 'orange',
  missing: 'gray',
};

/** A translation's status as a coloured badge with its word (never colour alone). */
export function StatusBadge({ status, label }: { status: TranslationStatus; label?: string }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={COLORS[status]}
      variant={status === 'missing' ? 'outline' : 'light'}
      radius="sm"
      tt="none"
      leftSection={label ? <span className="al-badge-code">{label}</span> : undefined}
    >
      {t(`status.${status}`)}
    </Badge>
  );
}
