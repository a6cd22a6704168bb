import { Alert, Badge, Group, Radio, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDiff, useRestore, useRevisions } from '../../api/articles.js';
import { ApiError } from '../../api/client.js';
import { ConfirmAction } from '../../components/ConfirmAction.js';
import { InlineDiff, LineDiff } from '../../components/DiffView.js';
import { notify } from '../../components/notify.js';
import { format } from '../../i18n.js';

/** Revisions newest first; pick any two to compare (a readable diff), restore any old one as a new revision. */
export function RevisionHistory(props: { slug: string; locale: string; canWrite: boolean; dir: 'ltr' | 'rtl' }) {
  const { t } = useTranslation('editor');
  const revisions = useRevisions(props.slug, props.locale);
  const restore = useRestore();
  const list = revisions.data?.revisions ?? [];
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  // Default comparison: the newest revision against the one before it.
  useEffect(() => {
    if (list.length >= 2 && from === null && to === null) {
      setTo(list[0]!.number);
      setFrom(list[1]!.number);
    }
  }, [list, from, to]);
  const diff = useDiff(props.slug, props.locale, from, to);

  if (revisions.isPending) return <Skeleton height={120} />;
  if (revisions.error) {
    return (
      <Alert color="red" role="alert">
        {revisions.error.message}
      </Alert>
    );
  }
  if (list.length === 0) return <Text c="dimmed">{t('history.empty')}</Text>;

  return (
    <Stack gap="md">
      <div className="al-table-wrap">
        <Table verticalSpacing="xs">
          <caption className="al-visually-hidden">{t('history.title')}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('history.revision')}</Table.Th>
              <Table.Th scope="col">{t('history.from')}</Table.Th>
              <Table.Th scope="col">{t('history.to')}</Table.Th>
              <Table.Th scope="col">{t('fields.title')}</Table.Th>
              <Table.Th scope="col">{t('history.author')}</Table.Th>
              <Table.Th scope="col">{t('history.date')}</Table.Th>
              <Table.Th scope="col">
                <span className="al-visually-hidden">{t('history.actions')}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((revision) => (
              <Table.Tr key={revision.number}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text fw={600}>#{revision.number}</Text>
                    {revision.published ? (
                      <Badge color="green" variant="light" size="sm" tt="none">
                        {t('common:status.published')}
                      </Badge>
                    ) : null}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Radio
                    name="diff-from"
                    aria-label={t('history.compareFrom', { number: revision.number })}
                    checked={from === revision.number}
                    onChange={() => setFrom(revision.number)}
                  />
                </Table.Td>
                <Table.Td>
                  <Radio
                    name="diff-to"
                    aria-label={t('history.compareTo', { number: revision.number })}
                    checked={to === revision.number}
                    onChange={() => setTo(revision.number)}
                  />
                </Table.Td>
                <Table.Td dir="auto">{revision.title}</Table.Td>
                <Table.Td>{revision.author}</Table.Td>
                <Table.Td>{format.date(revision.createdAt)}</Table.Td>
                <Table.Td>
                  {props.canWrite && revision.number !== list[0]!.number ? (
                    <ConfirmAction
                      size="xs"
                      variant="default"
                      label={t('history.restore')}
                      aria-label={t('history.restoreNumber', { number: revision.number })}
                      title={t('history.restoreTitle', { number: revision.number })}
                      message={t('history.restoreBody')}
                      confirmLabel={t('history.restore')}
                      loading={restore.isPending && restore.variables?.number === revision.number}
                      onConfirm={() =>
                        restore.mutateAsync({ slug: props.slug, locale: props.locale, number: revision.number }).then(
                          (result) =>
                            notify(
                              'success',
                              t('history.restored', { number: revision.number, revision: result.revision }),
                            ),
                          (error: unknown) =>
                            notify('error', error instanceof ApiError ? error.message : String(error)),
                        )
                      }
                    />
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
      {from !== null && to !== null && from !== to ? (
        <Stack gap="xs" data-testid="revision-diff">
          <Title order={3} size="h5">
            {t('history.diffTitle', { from, to })}
          </Title>
          {diff.isPending ? <Skeleton height={80} /> : null}
          {diff.error ? (
            <Alert color="red" role="alert">
              {diff.error.message}
            </Alert>
          ) : null}
          {diff.data ? (
            <>
              <Text size="sm">
                <strong>{t('fields.title')}: </strong>
                <InlineDiff parts={diff.data.title} dir={props.dir} />
              </Text>
              {diff.data.body.every((p) => p.op === 'equal') ? (
                <Text size="sm" c="dimmed">
                  {t('history.sameBody')}
                </Text>
              ) : (
                <LineDiff parts={diff.data.body} label={t('history.diffTitle', { from, to })} dir={props.dir} />
              )}
            </>
          ) : null}
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          {t('history.pickTwo')}
        </Text>
      )}
    </Stack>
  );
}
