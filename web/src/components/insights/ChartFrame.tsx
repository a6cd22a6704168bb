import { Card, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import './insights.css';

export interface TableColumn<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

/**
 * A chart with its numbers: a "Chart / Table" switch shows the same data as a table (for screen readers, exact
 * figures and printing). The chart itself is hidden from assistive technology; the table is the accessible view.
 */
export function ChartFrame<T>(props: {
  title: string;
  description?: ReactNode;
  chart: ReactNode;
  rows: T[];
  columns: TableColumn<T>[];
  rowKey: (row: T) => string;
  /** Compact frames (a KPI card) have no card border and a smaller title. */
  compact?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation('insights');
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const id = useId();
  const content =
    view === 'chart' ? (
      <div className="al-insights-chart" aria-hidden>
        {props.chart}
      </div>
    ) : (
      <div className="al-table-wrap al-insights-chart-table">
        <Table verticalSpacing={4} fz="sm">
          <caption className="al-visually-hidden">{props.title}</caption>
          <Table.Thead>
            <Table.Tr>
              {props.columns.map((column) => (
                <Table.Th key={column.header} scope="col">
                  {column.header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {props.rows.map((row) => (
              <Table.Tr key={props.rowKey(row)}>
                {props.columns.map((column) => (
                  <Table.Td key={column.header}>{column.cell(row)}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    );
  const toggle = (
    <SegmentedControl
      size="xs"
      value={view}
      onChange={(v) => setView(v === 'table' ? 'table' : 'chart')}
      aria-label={t('chart.view', { title: props.title })}
      data={[
        { value: 'chart', label: t('chart.chart') },
        { value: 'table', label: t('chart.table') },
      ]}
    />
  );
  if (props.compact) {
    return (
      <Stack gap={4} data-testid={props.testId} data-view={view}>
        {content}
        <Group justify="flex-end">{toggle}</Group>
      </Stack>
    );
  }
  return (
    <Card
      component="section"
      withBorder
      radius="md"
      padding="md"
      data-testid={props.testId}
      data-view={view}
      aria-labelledby={id}
    >
      <Group justify="space-between" align="flex-start" mb="xs" gap="xs">
        <Stack gap={2}>
          <Title order={2} size="h4" id={id}>
            {props.title}
          </Title>
          {props.description ? (
            <Text size="sm" c="dimmed">
              {props.description}
            </Text>
          ) : null}
        </Stack>
        {toggle}
      </Group>
      {props.rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('chart.noData')}
        </Text>
      ) : (
        content
      )}
    </Card>
  );
}
