import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconArrowsDiff, IconCircleCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import {
  type ClassMetrics,
  type EvaluationView,
  useModelVersion,
  useModelVersions,
  useModelWrite,
} from '../../api/classify.js';
import { ApiError } from '../../api/client.js';
import { useCan } from '../../app/session.js';
import { type Column, DataTable, type SortState } from '../../components/DataTable.js';
import { ChartFrame } from '../../components/insights/ChartFrame.js';
import { num, pct, pctInterval } from '../../components/insights/format.js';
import { notify } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { ConfusionHeatmap, CoverageChart } from './charts.js';
import { ClassifierTabs, ModelStatusBadge, useCategoryNames } from './parts.js';

/** Wilson 95 % interval of a proportion measured on n examples: how far the true rate may be from the measured one. */
export function wilson(rate: number, n: number): [number, number] | null {
  if (n <= 0) return null;
  const z = 1.96;
  const denominator = 1 + (z * z) / n;
  const centre = (rate + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((rate * (1 - rate)) / n + (z * z) / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

function Figure({ label, value, hint }: { label: string; value: string; hint?: string | undefined }) {
  return (
    <Card withBorder radius="md" padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Card>
  );
}

/** One model version: its evaluation per category, the confusions, the coverage curve, and Activate / Compare. */
export function ModelScreen({ params }: { params: { version: string } }) {
  const { t } = useTranslation('classifier');
  const version = Number(params.version);
  const canWrite = useCan('classify.write');
  const model = useModelVersion(version);
  const versions = useModelVersions();
  const write = useModelWrite();
  const [, navigate] = useLocation();
  const v = model.data;
  const others = (versions.data?.versions ?? []).filter((o) => o.version !== version && o.status === 'ready');
  const defaultAgainst = others.find((o) => o.active)?.version ?? others[0]?.version ?? null;
  const [against, setAgainst] = useState<string | null>(null);
  const compareWith = against ?? (defaultAgainst === null ? null : String(defaultAgainst));

  const activate = async () => {
    try {
      const result = await write.activate.mutateAsync(version);
      notify('success', t('model.activated', { version: result.version }));
      void model.refetch();
    } catch (error) {
      notify('error', error instanceof ApiError ? error.message : String(error));
    }
  };

  return (
    <div className="al-page">
      <PageHeader
        title={t('model.title', { version })}
        description={v?.note || t('model.description')}
        helpNs="classifier"
        actions={
          v ? (
            <Group gap="xs">
              {v.active ? (
                <Badge color="green" variant="filled" size="lg" leftSection={<IconCircleCheck size={14} />}>
                  {t('models.active')}
                </Badge>
              ) : canWrite && v.status === 'ready' ? (
                <Button onClick={() => void activate()} loading={write.activate.isPending}>
                  {t('model.activate')}
                </Button>
              ) : null}
            </Group>
          ) : null
        }
      />
      <ClassifierTabs active="models" />
      <Anchor component={Link} href="/classifier/models" size="sm" mb="sm" display="inline-block">
        {t('model.back')}
      </Anchor>
      {model.error ? (
        <Alert color="red" role="alert" title={t('loadFailed')}>
          {model.error instanceof ApiError ? model.error.message : String(model.error)}
        </Alert>
      ) : null}
      {model.isLoading ? <Skeleton h={300} /> : null}
      {v ? (
        <Stack gap="md">
          <Group gap="sm">
            <ModelStatusBadge status={v.status} progress={v.progress} />
            {v.status === 'training' || v.status === 'queued' ? <Text size="sm">{v.progressMessage}</Text> : null}
            {v.error ? (
              <Text size="sm" c="red.8">
                {v.error}
              </Text>
            ) : null}
          </Group>
          {others.length > 0 ? (
            <Group gap="xs" align="flex-end">
              <Select
                label={t('model.compareWith')}
                data={others.map((o) => ({
                  value: String(o.version),
                  label: `${t('models.versionN', { version: o.version })}${o.active ? ` (${t('models.active')})` : ''}`,
                }))}
                value={compareWith}
                onChange={setAgainst}
                allowDeselect={false}
                w={240}
              />
              <Button
                variant="default"
                leftSection={<IconArrowsDiff size={16} aria-hidden />}
                disabled={compareWith === null}
                onClick={() => compareWith && navigate(`/classifier/models/${version}/compare/${compareWith}`)}
              >
                {t('model.compare')}
              </Button>
            </Group>
          ) : null}
          {v.evaluation ? <EvaluationDetails evaluation={v.evaluation} /> : null}
        </Stack>
      ) : null}
    </div>
  );
}

/** The evaluation of a version: headline figures with intervals, per category, per language, confusions, coverage. */
function EvaluationDetails({ evaluation: e }: { evaluation: EvaluationView }) {
  const { t } = useTranslation('classifier');
  const { nameOf } = useCategoryNames();
  const [sort, setSort] = useState<SortState>({ key: 'f1', direction: 'asc' });
  const accuracyCi = wilson(e.accuracy, e.testExamples);
  const op = e.operatingPoint;
  const rows = [...e.perClass].sort((a, b) => {
    const key = sort.key as keyof ClassMetrics;
    const x = a[key];
    const y = b[key];
    const order =
      typeof x === 'number' && typeof y === 'number' ? x - y : nameOf(String(x)).localeCompare(nameOf(String(y)));
    return sort.direction === 'asc' ? order : -order;
  });
  const columns: Column<ClassMetrics>[] = [
    {
      key: 'category',
      header: t('model.category'),
      sortable: true,
      render: (c) => (
        <Text size="sm" dir="auto">
          {nameOf(c.category)}
        </Text>
      ),
    },
    { key: 'precision', header: t('model.precision'), sortable: true, render: (c) => pct(c.precision) },
    { key: 'recall', header: t('model.recall'), sortable: true, render: (c) => pct(c.recall) },
    { key: 'f1', header: t('model.f1'), sortable: true, render: (c) => pct(c.f1) },
    { key: 'support', header: t('model.support'), sortable: true, render: (c) => num(c.support) },
  ];
  const method =
    e.method === 'kfold'
      ? t('model.methodKfold', { folds: e.folds ?? 5 })
      : t('model.methodHoldout', { share: pct(e.testFraction ?? 0.2) });

  return (
    <>
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
        <Figure
          label={t('models.accuracy')}
          value={pct(e.accuracy, 1)}
          hint={accuracyCi ? t('model.interval', { range: `${pct(accuracyCi[0])}–${pct(accuracyCi[1])}` }) : undefined}
        />
        <Figure
          label={t('models.macroF1')}
          value={pct(e.macroF1, 1)}
          hint={e.spread ? t('model.spread', { std: pct(e.spread.macroF1.std, 1) }) : undefined}
        />
        <Figure
          label={t('model.coverageAt')}
          value={pct(op.coverage)}
          hint={t('model.precisionThere', { precision: pct(op.precision), threshold: pct(op.threshold) })}
        />
        <Figure label={t('model.testExamples')} value={num(e.testExamples)} hint={method} />
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        {t('model.caveat')}
      </Text>
      <section aria-labelledby="per-category-title">
        <Title order={2} size="h4" id="per-category-title" mb="xs">
          {t('model.perCategory')}
        </Title>
        <DataTable
          caption={t('model.perCategory')}
          columns={columns}
          rows={rows}
          rowKey={(c) => c.category}
          loading={false}
          error={null}
          onRetry={() => {}}
          sort={sort}
          onSortChange={setSort}
          empty={{ title: t('model.noClasses'), body: '' }}
        />
      </section>
      {e.perLanguage && e.perLanguage.length > 0 ? (
        <section aria-labelledby="per-language-title">
          <Title order={2} size="h4" id="per-language-title" mb="xs">
            {t('model.perLanguage')}
          </Title>
          <div className="al-table-wrap">
            <Table fz="sm" verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('languages.language')}</Table.Th>
                  <Table.Th scope="col">{t('model.testExamples')}</Table.Th>
                  <Table.Th scope="col">{t('models.accuracy')}</Table.Th>
                  <Table.Th scope="col">{t('models.macroF1')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {e.perLanguage.map((l) => {
                  const ci = wilson(l.accuracy, l.examples);
                  return (
                    <Table.Tr key={l.language}>
                      <Table.Td dir="ltr">{l.language}</Table.Td>
                      <Table.Td>{num(l.examples)}</Table.Td>
                      <Table.Td>{ci ? pctInterval(l.accuracy, ci[0], ci[1]) : pct(l.accuracy)}</Table.Td>
                      <Table.Td>{pct(l.macroF1)}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </div>
        </section>
      ) : null}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <ChartFrame
          title={t('model.coverageTitle')}
          description={t('model.coverageBody')}
          chart={<CoverageChart curve={e.coverageCurve} operatingPoint={op} />}
          rows={e.coverageCurve}
          rowKey={(p) => String(p.threshold)}
          columns={[
            { header: t('model.threshold'), cell: (p) => pct(p.threshold) },
            { header: t('model.coverage'), cell: (p) => pct(p.coverage) },
            { header: t('model.precision'), cell: (p) => pct(p.precision) },
          ]}
        />
        <ChartFrame
          title={t('model.confusionTitle')}
          description={t('model.confusionBody')}
          chart={<ConfusionHeatmap evaluation={e} nameOf={nameOf} />}
          rows={e.confusedPairs}
          rowKey={(p) => `${p.actual}>${p.predicted}`}
          columns={[
            { header: t('model.actual'), cell: (p) => <span dir="auto">{nameOf(p.actual)}</span> },
            { header: t('model.predicted'), cell: (p) => <span dir="auto">{nameOf(p.predicted)}</span> },
            { header: t('model.count'), cell: (p) => num(p.count) },
          ]}
        />
      </SimpleGrid>
    </>
  );
}
