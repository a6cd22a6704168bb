import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { type ModelVersionView, useComparison, useModelWrite } from '../../api/classify.js';
import { ApiError } from '../../api/client.js';
import { useCan } from '../../app/session.js';
import { num, pct, points } from '../../components/insights/format.js';
import { notify } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { ClassifierTabs, ModelStatusBadge, useCategoryNames } from './parts.js';

function Delta({ value }: { value: number | null }) {
  if (value === null) return <>—</>;
  const className = value > 0.0005 ? 'al-delta-up' : value < -0.0005 ? 'al-delta-down' : undefined;
  return <span className={className}>{points(value)}</span>;
}

/** Two model versions side by side: headline figures, F1 per category with the difference, changed answers. */
export function CompareScreen({ params }: { params: { version: string; against: string } }) {
  const { t } = useTranslation('classifier');
  const version = Number(params.version);
  const against = Number(params.against);
  const comparison = useComparison(version, against);
  const canWrite = useCan('classify.write');
  const write = useModelWrite();
  const { nameOf } = useCategoryNames();
  const c = comparison.data;

  const activate = async (v: number) => {
    try {
      await write.activate.mutateAsync(v);
      notify('success', t('model.activated', { version: v }));
      void comparison.refetch();
    } catch (error) {
      notify('error', error instanceof ApiError ? error.message : String(error));
    }
  };

  const side = (v: ModelVersionView) => (
    <Card withBorder radius="md" padding="sm" key={v.version} data-version={v.version}>
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <Anchor component={Link} href={`/classifier/models/${v.version}`} fw={700}>
            {t('models.versionN', { version: v.version })}
          </Anchor>
          {v.active ? (
            <Badge color="green" variant="filled" size="sm">
              {t('models.active')}
            </Badge>
          ) : (
            <ModelStatusBadge status={v.status} />
          )}
        </Group>
        {canWrite && !v.active && v.status === 'ready' ? (
          <Button size="xs" onClick={() => void activate(v.version)} loading={write.activate.isPending}>
            {t('compare.activateN', { version: v.version })}
          </Button>
        ) : null}
      </Group>
      <Text size="sm" c="dimmed" dir="auto" mb="xs">
        {v.note || '—'}
      </Text>
      <SimpleGrid cols={2} spacing={4}>
        <Text size="sm">{t('models.examples')}</Text>
        <Text size="sm">{num(v.examples)}</Text>
        <Text size="sm">{t('models.accuracy')}</Text>
        <Text size="sm">{pct(v.evaluation?.accuracy, 1)}</Text>
        <Text size="sm">{t('models.macroF1')}</Text>
        <Text size="sm">{pct(v.evaluation?.macroF1, 1)}</Text>
        <Text size="sm">{t('models.coverage')}</Text>
        <Text size="sm">{pct(v.evaluation?.operatingPoint.coverage)}</Text>
      </SimpleGrid>
    </Card>
  );

  return (
    <div className="al-page">
      <PageHeader
        title={t('compare.title', { version, against })}
        description={t('compare.description')}
        helpNs="classifier"
      />
      <ClassifierTabs active="models" />
      {comparison.error ? (
        <Alert color="red" role="alert" title={t('loadFailed')}>
          {comparison.error instanceof ApiError ? comparison.error.message : String(comparison.error)}
        </Alert>
      ) : null}
      {comparison.isLoading ? <Skeleton h={300} /> : null}
      {c ? (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            {c.active ? side(c.active) : null}
            {side(c.candidate)}
          </SimpleGrid>
          {c.delta ? (
            <Group gap="lg" data-testid="compare-delta">
              <Text size="sm">
                {t('compare.deltaAccuracy')} <Delta value={c.delta.accuracy} />
              </Text>
              <Text size="sm">
                {t('compare.deltaMacroF1')} <Delta value={c.delta.macroF1} />
              </Text>
              <Text size="sm">
                {t('compare.deltaCoverage')} <Delta value={c.delta.coverage} />
              </Text>
            </Group>
          ) : null}
          <Text size="xs" c="dimmed">
            {t('compare.caveat')}
          </Text>
          <section aria-labelledby="compare-per-category">
            <Title order={2} size="h4" id="compare-per-category" mb="xs">
              {t('compare.perCategory')}
            </Title>
            <div className="al-table-wrap">
              <Table fz="sm" verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('model.category')}</Table.Th>
                    <Table.Th scope="col">{t('compare.f1Of', { version: against })}</Table.Th>
                    <Table.Th scope="col">{t('compare.f1Of', { version })}</Table.Th>
                    <Table.Th scope="col">{t('compare.difference')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {[...c.perCategory]
                    .sort(
                      (a, b) => (a.candidateF1 ?? 0) - (a.activeF1 ?? 0) - ((b.candidateF1 ?? 0) - (b.activeF1 ?? 0)),
                    )
                    .map((row) => (
                      <Table.Tr key={row.category}>
                        <Table.Td dir="auto">{nameOf(row.category)}</Table.Td>
                        <Table.Td>{pct(row.activeF1)}</Table.Td>
                        <Table.Td>{pct(row.candidateF1)}</Table.Td>
                        <Table.Td>
                          <Delta
                            value={
                              row.candidateF1 !== null && row.activeF1 !== null ? row.candidateF1 - row.activeF1 : null
                            }
                          />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                </Table.Tbody>
              </Table>
            </div>
          </section>
          {c.agreement ? (
            <section aria-labelledby="compare-agreement">
              <Title order={2} size="h4" id="compare-agreement" mb={4}>
                {t('compare.agreementTitle')}
              </Title>
              <Text size="sm" mb="xs">
                {t('compare.agreement', {
                  same: num(c.agreement.same),
                  items: num(c.agreement.items),
                  share: pct(c.agreement.items > 0 ? c.agreement.same / c.agreement.items : null),
                })}
              </Text>
              {c.agreement.changes.length > 0 ? (
                <div className="al-table-wrap">
                  <Table fz="sm" verticalSpacing={4}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">{t('compare.text')}</Table.Th>
                        <Table.Th scope="col">{t('models.versionN', { version: against })}</Table.Th>
                        <Table.Th scope="col">{t('models.versionN', { version })}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {c.agreement.changes.map((change) => (
                        <Table.Tr key={`${change.text}>${change.active}>${change.candidate}`}>
                          <Table.Td dir="auto">{change.text}</Table.Td>
                          <Table.Td dir="auto">{change.active ? nameOf(change.active) : t('compare.unsure')}</Table.Td>
                          <Table.Td dir="auto">
                            {change.candidate ? nameOf(change.candidate) : t('compare.unsure')}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </div>
              ) : null}
            </section>
          ) : null}
        </Stack>
      ) : null}
    </div>
  );
}
