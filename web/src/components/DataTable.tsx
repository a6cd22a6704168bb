import { Alert, Button, Group, Pagination, Skeleton, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconArrowDown, IconArrowUp, IconSelector } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.js';
import { format } from '../i18n.js';

export interface Column<T> {
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  /** When set, the header sorts by this key. */
  sortable?: boolean;
  width?: number | string;
}

export interface SortState {
  key: string;
  direction: 'asc' | 'desc';
}

export interface DataTableProps<T> {
  caption: string;
  columns: Column<T>[];
  rows: T[] | undefined;
  rowKey: (row: T) => string;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  /** What an empty table teaches: what would be here and how to get it there. */
  empty: { title: ReactNode; body: ReactNode; action?: ReactNode };
  sort?: SortState;
  onSortChange?: (sort: SortState) => void;
  /** Paging (server or client): 1-based page. */
  page?: number;
  pageSize?: number;
  total?: number;
  onPageChange?: (page: number) => void;
}

/** A table with the states every list needs: loading skeleton, empty state, error with retry, sorting and paging. */
export function DataTable<T>(props: DataTableProps<T>) {
  const { t } = useTranslation();
  const { columns, rows, sort } = props;

  if (props.error) {
    const message = props.error instanceof ApiError ? props.error.message : String(props.error);
    return (
      <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={t('error.loadTitle')} role="alert">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{message}</Text>
          <Button size="xs" variant="white" color="red" onClick={props.onRetry}>
            {t('retry')}
          </Button>
        </Stack>
      </Alert>
    );
  }

  const header = (
    <Table.Thead>
      <Table.Tr>
        {columns.map((column) => {
          const active = sort?.key === column.key;
          const ariaSort = active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined;
          return (
            <Table.Th key={column.key} w={column.width} aria-sort={ariaSort} scope="col">
              {column.sortable && props.onSortChange ? (
                <UnstyledButton
                  className="al-sort-button"
                  onClick={() =>
                    props.onSortChange?.({
                      key: column.key,
                      direction: active && sort.direction === 'asc' ? 'desc' : 'asc',
                    })
                  }
                >
                  {column.header}
                  {active ? (
                    sort.direction === 'asc' ? (
                      <IconArrowUp size={14} aria-hidden />
                    ) : (
                      <IconArrowDown size={14} aria-hidden />
                    )
                  ) : (
                    <IconSelector size={14} aria-hidden />
                  )}
                </UnstyledButton>
              ) : (
                column.header
              )}
            </Table.Th>
          );
        })}
      </Table.Tr>
    </Table.Thead>
  );

  let body: ReactNode;
  if (props.loading && !rows) {
    body = Array.from({ length: 6 }, (_, i) => (
      // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
      <Table.Tr key={i}>
        {columns.map((column) => (
          <Table.Td key={column.key}>
            <Skeleton height={14} radius="sm" />
          </Table.Td>
        ))}
      </Table.Tr>
    ));
  } else if (!rows || rows.length === 0) {
    body = (
      <Table.Tr>
        <Table.Td colSpan={columns.length}>
          <Stack className="al-empty" align="center" gap={6}>
            <Text fw={600}>{props.empty.title}</Text>
            <Text size="sm" c="dimmed" maw={520}>
              {props.empty.body}
            </Text>
            {props.empty.action}
          </Stack>
        </Table.Td>
      </Table.Tr>
    );
  } else {
    body = rows.map((row) => (
      <Table.Tr key={props.rowKey(row)}>
        {columns.map((column) => (
          <Table.Td key={column.key}>{column.render(row)}</Table.Td>
        ))}
      </Table.Tr>
    ));
  }

  const pages = props.total && props.pageSize ? Math.ceil(props.total / props.pageSize) : 0;
  return (
    <Stack gap="sm">
      <div className="al-table-wrap">
        <Table
          verticalSpacing="xs"
          highlightOnHover
          aria-busy={props.loading ? 'true' : undefined}
          data-loading={props.loading ? 'true' : undefined}
        >
          <caption className="al-visually-hidden">{props.caption}</caption>
          {header}
          <Table.Tbody>{body}</Table.Tbody>
        </Table>
      </div>
      {pages > 1 && props.page && props.onPageChange ? (
        <Group justify="space-between" wrap="wrap">
          <Text size="sm" c="dimmed">
            {t('table.range', {
              from: format.number((props.page - 1) * props.pageSize! + 1),
              to: format.number(Math.min(props.total!, props.page * props.pageSize!)),
              total: format.number(props.total!),
            })}
          </Text>
          <Pagination
            total={pages}
            value={props.page}
            onChange={props.onPageChange}
            siblings={1}
            getControlProps={(control) => ({ 'aria-label': t(`table.${control}`) })}
            getItemProps={(page) => ({ 'aria-label': t('table.page', { page }) })}
          />
        </Group>
      ) : null}
    </Stack>
  );
}
