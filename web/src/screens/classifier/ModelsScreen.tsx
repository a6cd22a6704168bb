import { Alert, Anchor, Badge, Button, Group, Modal, NumberInput, Progress, Select, Stack, Text } from '@mantine/core';
import { IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import { type ModelVersionView, useModelVersions, useModelWrite } from '../../api/classify.js';
import { ApiError } from '../../api/client.js';
import { useCan } from '../../app/session.js';
import { type Column, DataTable } from '../../components/DataTable.js';
import { LimitedTextarea } from '../../components/fields.js';
import { num, pct } from '../../components/insights/format.js';
import { notify } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { format } from '../../i18n.js';
import { ClassifierTabs, ModelStatusBadge } from './parts.js';

const NOTE_MAX = 500;

/** Model versions, newest first: status (live while training), size of the data, accuracy, macro-F1, coverage. */
export function ModelsScreen() {
  const { t } = useTranslation('classifier');
  const canWrite = useCan('classify.write');
  const versions = useModelVersions();
  const [training, setTraining] = useState(false);

  const columns: Column<ModelVersionView>[] = [
    {
      key: 'version',
      header: t('models.version'),
      render: (v) => (
        <Group gap="xs" wrap="nowrap">
          <Anchor component={Link} href={`/classifier/models/${v.version}`} fw={600}>
            {t('models.versionN', { version: v.version })}
          </Anchor>
          {v.active ? (
            <Badge color="green" variant="filled" size="sm">
              {t('models.active')}
            </Badge>
          ) : null}
        </Group>
      ),
    },
    {
      key: 'status',
      header: t('models.status'),
      render: (v) => (
        <Stack gap={2} miw={120}>
          <ModelStatusBadge status={v.status} progress={v.progress} />
          {v.status === 'training' || v.status === 'queued' ? (
            <>
              <Progress value={v.progress * 100} size="sm" aria-label={t('models.progress')} />
              <Text size="xs" c="dimmed">
                {v.progressMessage}
              </Text>
            </>
          ) : null}
          {v.status === 'failed' && v.error ? (
            <Text size="xs" c="red.8">
              {v.error}
            </Text>
          ) : null}
        </Stack>
      ),
    },
    { key: 'examples', header: t('models.examples'), render: (v) => num(v.examples) },
    { key: 'categories', header: t('models.categories'), render: (v) => num(v.categories) },
    { key: 'accuracy', header: t('models.accuracy'), render: (v) => pct(v.evaluation?.accuracy, 1) },
    { key: 'macroF1', header: t('models.macroF1'), render: (v) => pct(v.evaluation?.macroF1, 1) },
    {
      key: 'coverage',
      header: t('models.coverage'),
      render: (v) =>
        v.evaluation ? (
          <span title={t('models.coverageHint', { precision: pct(v.evaluation.operatingPoint.precision) })}>
            {pct(v.evaluation.operatingPoint.coverage)}
          </span>
        ) : (
          '—'
        ),
    },
    {
      key: 'note',
      header: t('models.note'),
      render: (v) => (
        <Text size="sm" dir="auto" lineClamp={2}>
          {v.note || '—'}
        </Text>
      ),
    },
    { key: 'created', header: t('models.created'), render: (v) => format.date(v.createdAt) },
  ];

  return (
    <div className="al-page">
      <PageHeader
        title={t('models.title')}
        description={t('models.description')}
        helpNs="classifier"
        actions={
          canWrite ? (
            <Button leftSection={<IconPlayerPlay size={16} aria-hidden />} onClick={() => setTraining(true)}>
              {t('models.train')}
            </Button>
          ) : null
        }
      />
      <ClassifierTabs active="models" />
      <DataTable
        caption={t('models.title')}
        columns={columns}
        rows={versions.data?.versions}
        rowKey={(v) => String(v.version)}
        loading={versions.isLoading}
        error={versions.error}
        onRetry={() => void versions.refetch()}
        empty={{ title: t('models.emptyTitle'), body: t('models.emptyBody') }}
      />
      {training ? <TrainDialog onClose={() => setTraining(false)} /> : null}
    </div>
  );
}

/** "Train a new version": a note, and how it is evaluated (a held-out share, or k-fold cross-validation). */
function TrainDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('classifier');
  const write = useModelWrite();
  const [, navigate] = useLocation();
  const [note, setNote] = useState('');
  const [method, setMethod] = useState<'holdout' | 'kfold'>('holdout');
  const [testPercent, setTestPercent] = useState(20);
  const [folds, setFolds] = useState(5);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setError(null);
    try {
      const created = await write.train.mutateAsync({
        note: note.trim(),
        evaluation:
          method === 'holdout' ? { method: 'holdout', testFraction: testPercent / 100 } : { method: 'kfold', folds },
      });
      notify('success', t('models.queued', { version: created.version, examples: created.examples }));
      onClose();
      navigate(`/classifier/models/${created.version}`);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('models.trainTitle')}
      closeButtonProps={{ 'aria-label': t('common:close') }}
    >
      <Stack gap="sm">
        <Text size="sm">{t('models.trainBody')}</Text>
        <LimitedTextarea
          label={t('models.note')}
          description={t('models.noteHint')}
          value={note}
          max={NOTE_MAX}
          autosize
          minRows={2}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        <Select
          label={t('models.method')}
          data={[
            { value: 'holdout', label: t('models.holdout') },
            { value: 'kfold', label: t('models.kfold') },
          ]}
          value={method}
          onChange={(v) => setMethod(v === 'kfold' ? 'kfold' : 'holdout')}
          allowDeselect={false}
        />
        {method === 'holdout' ? (
          <NumberInput
            label={t('models.testShare')}
            min={5}
            max={50}
            suffix=" %"
            value={testPercent}
            onChange={(v) => setTestPercent(typeof v === 'number' ? v : 20)}
          />
        ) : (
          <NumberInput
            label={t('models.folds')}
            min={2}
            max={10}
            value={folds}
            onChange={(v) => setFolds(typeof v === 'number' ? v : 5)}
          />
        )}
        {error ? (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:cancel')}
          </Button>
          <Button onClick={() => void submit()} loading={write.train.isPending}>
            {t('models.trainConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
