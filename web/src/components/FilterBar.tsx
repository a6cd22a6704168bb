import { Group } from '@mantine/core';
import type { ReactNode } from 'react';

/** A row of filters above a table; wraps on narrow screens. */
export function FilterBar({ children, label }: { children: ReactNode; label: string }) {
  return (
    <Group component="search" gap="sm" mb="md" align="flex-end" wrap="wrap" aria-label={label}>
      {children}
    </Group>
  );
}
