import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  useDirection,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconChevronDown, IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '../../../../src/shared/limits.js';
import { ApiError, api } from '../../api/client.js';
import type { AuditEntry, AuditResponse } from '../../api/contract.js';
import { PageHeader } from '../../components/PageHeader.js';
import { format } from '../../i18n.js';

const OBJECT_TYPES = ['article', 'topic', 'region', 'price', 'locale', 'user', 'token', 'settings', 'route'];
const PAGE = 50;

/** A local calendar day as the ISO instant it starts (or, for `to`, ends) at. */
function dayBound(value: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00`);
  if (Number.isNaN(date.getTime())) return undefined;
  if (end) date.setDate(date.getDate() + 1);
  return date.toISOString();
}

function show(value: unknown, empty: string): string {
  if (value === null || value === undefined || value === '') return empty;
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 1);
}

/** Audit log: filters, the newest entries first, each row expanding into the before/after of its changed fields. */
export function AuditScreen() {
  const { t } = useTranslation('audit');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [objectType, setObjectType] = useState<string | null>(null);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [filters] = useDebouncedValue(
    {
      from: dayBound(from, false),
      to: dayBound(to, true),
      actor: actor.trim() || undefined,
      action: action.trim() || undefined,
      objectType: objectType ?? undefined,
    },
    300,
  );
  const entries = useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam }) =>
      api<AuditResponse>('/api/audit', { query: { ...filters, limit: PAGE, before: pageParam ?? undefined } }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextBefore,
  });
  const rows = entries.data?.pages.flatMap((page) => page.entries);
  const filtered = !!(from || to || actor || action || objectType);

  const toggle = (id: string) =>
    setOpen((old) => {
      const next = new Set(old);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <>
      <PageHeader title={t('title')} description={t('subtitle')} helpNs="audit" />
      <Paper withBorder radius="md" p="sm" mb="md" component="form" role="search" onSubmit={(e) => e.preventDefault()}>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            type="date"
            label={t('filters.from')}
            value={from}
            onChange={(event) => setFrom(event.currentTarget.value)}
            w={170}
          />
          <TextInput
            type="date"
            label={t('filters.to')}
            value={to}
            onChange={(event) => setTo(event.currentTarget.value)}
            w={170}
          />
          <TextInput
            label={t('filters.actor')}
            placeholder={t('filters.actorAny')}
            value={actor}
            maxLength={LIMITS.email}
            onChange={(event) => setActor(event.currentTarget.value)}
            w={200}
          />
          <TextInput
            label={t('filters.action')}
            placeholder={t('filters.actionPlaceholder')}
            value={action}
            maxLength={200}
            onChange={(event) => setAction(event.currentTarget.value)}
            dir="ltr"
            w={200}
          />
          <Select
            label={t('filters.objectType')}
            placeholder={t('filters.objectAny')}
            data={OBJECT_TYPES}
            value={objectType}
            onChange={setObjectType}
            clearable
            w={170}
          />
          {filtered ? (
            <Button
              variant="subtle"
              onClick={() => {
                setFrom('');
                setTo('');
                setActor('');
                setAction('');
                setObjectType(null);
              }}
            >
              {t('filters.clear')}
            </Button>
          ) : null}
        </Group>
      </Paper>
      {entries.isError ? (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={t('error')} role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{entries.error instanceof ApiError ? entries.error.message : String(entries.error)}</Text>
            <Button size="xs" variant="white" color="red" onClick={() => void entries.refetch()}>
              {t('common:retry')}
            </Button>
          </Stack>
        </Alert>
      ) : (
        <Stack gap="sm">
          <div className="al-table-wrap">
            <Table verticalSpacing="xs" aria-busy={entries.isFetching ? 'true' : undefined} data-testid="audit-table">
              <caption className="al-visually-hidden">{t('title')}</caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col" w={40}>
                    <span className="al-visually-hidden">{t('details')}</span>
                  </Table.Th>
                  <Table.Th scope="col">{t('columns.time')}</Table.Th>
                  <Table.Th scope="col">{t('columns.actor')}</Table.Th>
                  <Table.Th scope="col">{t('columns.action')}</Table.Th>
                  <Table.Th scope="col">{t('columns.object')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {!rows ? (
                  [0, 1, 2, 3, 4].map((i) => (
                    <Table.Tr key={i}>
                      {[0, 1, 2, 3, 4].map((j) => (
                        <Table.Td key={j}>
                          <Skeleton height={14} />
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))
                ) : rows.length === 0 ? (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
                      <Stack align="center" gap={6} py="lg">
                        <Text fw={600}>{t('empty.title')}</Text>
                        <Text size="sm" c="dimmed">
                          {t('empty.body')}
                        </Text>
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                ) : (
                  rows.map((entry) => (
                    <EntryRows
                      key={entry.id}
                      entry={entry}
                      open={open.has(entry.id)}
                      onToggle={() => toggle(entry.id)}
                    />
                  ))
                )}
              </Table.Tbody>
            </Table>
          </div>
          {entries.hasNextPage ? (
            <Group justify="center">
              <Button
                variant="default"
                loading={entries.isFetchingNextPage}
                onClick={() => void entries.fetchNextPage()}
              >
                {t('loadMore')}
              </Button>
            </Group>
          ) : rows && rows.length > 0 ? (
            <Text size="sm" c="dimmed" ta="center">
              {t('end')}
            </Text>
          ) : null}
        </Stack>
      )}
    </>
  );
}

function EntryRows({ entry, open, onToggle }: { entry: AuditEntry; open: boolean; onToggle: () => void }) {
  const { t } = useTranslation('audit');
  const fields = Object.entries(entry.changes);
  const via = ['session', 'token', 'bootstrap', 'cli', 'system'].includes(entry.actor.via)
    ? t(`via.${entry.actor.via}`)
    : entry.actor.via;
  const detailsId = `audit-${entry.id}`;
  const Closed = useDirection().dir === 'rtl' ? IconChevronLeft : IconChevronRight;
  return (
    <Fragment>
      <Table.Tr data-action={entry.action}>
        <Table.Td>
          <Button
            variant="subtle"
            size="compact-sm"
            px={4}
            onClick={onToggle}
            aria-expanded={open}
            aria-controls={detailsId}
            aria-label={`${open ? t('hideDetails') : t('details')}: ${entry.action}`}
          >
            {open ? <IconChevronDown size={16} aria-hidden /> : <Closed size={16} aria-hidden />}
          </Button>
        </Table.Td>
        <Table.Td>
          <time dateTime={entry.at}>{format.date(entry.at)}</time>
        </Table.Td>
        <Table.Td>
          <Text size="sm" dir="auto">
            {entry.actor.label}
          </Text>
          <Text size="xs" c="dimmed">
            {via}
          </Text>
        </Table.Td>
        <Table.Td>
          <code dir="ltr">{entry.action}</code>
          {fields.length > 0 ? (
            <Badge size="xs" variant="light" color="gray" radius="sm" tt="none" ms={6}>
              {t('changes', { count: fields.length })}
            </Badge>
          ) : null}
        </Table.Td>
        <Table.Td>
          <Text size="sm" dir="ltr" ta="start">
            {entry.object.type} · {entry.object.id}
          </Text>
        </Table.Td>
      </Table.Tr>
      {open ? (
        <Table.Tr id={detailsId}>
          <Table.Td />
          <Table.Td colSpan={4}>
            {fields.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('noChanges')}
              </Text>
            ) : (
              <Table withTableBorder verticalSpacing={4} data-testid="audit-changes">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('field')}</Table.Th>
                    <Table.Th scope="col">{t('before')}</Table.Th>
                    <Table.Th scope="col">{t('after')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {fields.map(([field, change]) => (
                    <Table.Tr key={field}>
                      <Table.Th scope="row">
                        <code dir="ltr">{field}</code>
                      </Table.Th>
                      <Table.Td>
                        <Text
                          size="sm"
                          dir="auto"
                          c="red.9"
                          style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
                        >
                          {show(change.before, t('nothing'))}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text
                          size="sm"
                          dir="auto"
                          c="green.9"
                          style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
                        >
                          {show(change.after, t('nothing'))}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Table.Td>
        </Table.Tr>
      ) : null}
    </Fragment>
  );
}
