import {
  Badge,
  Button,
  Card,
  NumberInput,
  PasswordInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { type Column, DataTable } from '../../components/DataTable.js';
import { day, num } from '../../components/insights/format.js';
import { CsvLink, Loadable } from '../../components/insights/parts.js';
import { notify } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { errorText } from '../editor/EditorScreen.js';
import {
  type AlertDelivery,
  type AlertSettings,
  csvUrl,
  useAlertDeliveries,
  useAlertSettings,
  useAlerts,
  useRetryDelivery,
  useSaveAlertSettings,
} from './api.js';
import { useUrlFilters } from './filters.js';
import { AlertList } from './OverviewScreen.js';

/**
 * The server's accepted ranges (ZAlertSettings in src/modules/insights/insights.schema.ts): the form refuses what the
 * server would, so a save fails only on what the server alone can know.
 */
const RANGES = {
  fdr: { min: 0.001, max: 0.5, step: 0.01, decimals: 3 },
  minVotes: { min: 1, max: 100_000, step: 5, decimals: 0 },
  minDrop: { min: 0, max: 1, step: 0.01, decimals: 2 },
  reasonRise: { min: 0, max: 1, step: 0.01, decimals: 2 },
  minGapVolume: { min: 1, max: 100_000, step: 5, decimals: 0 },
} as const;
type NumberSetting = keyof typeof RANGES;
const WEBHOOK_URL_MAX = 2000;
const SECRET = { min: 16, max: 200 };

function SettingsForm({ settings }: { settings: AlertSettings }) {
  const { t } = useTranslation('insights');
  const canWrite = useCan('insights.write');
  const save = useSaveAlertSettings();
  const [form, setForm] = useState<AlertSettings>(settings);
  const [secret, setSecret] = useState('');
  useEffect(() => setForm(settings), [settings]);
  const inRange = (key: NumberSetting) => form[key] >= RANGES[key].min && form[key] <= RANGES[key].max;
  const secretOk = secret === '' || (secret.length >= SECRET.min && secret.length <= SECRET.max);
  const urlOk = !form.webhookUrl || /^https?:\/\/\S+$/.test(form.webhookUrl);
  const valid = (Object.keys(RANGES) as NumberSetting[]).every(inRange) && secretOk && urlOk;
  const submit = () => {
    const { webhookSecretSet: _set, webhookSecret: _secret, ...rest } = form;
    save.mutate(
      { ...rest, webhookUrl: rest.webhookUrl || null, ...(secret ? { webhookSecret: secret } : {}) },
      {
        onSuccess: () => {
          setSecret('');
          notify('success', t('settings.saved'));
        },
        onError: (e) => notify('error', errorText(e), t('settings.failed')),
      },
    );
  };
  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Stack gap="sm">
        {!canWrite ? (
          <Text size="sm" c="dimmed">
            {t('settings.readOnly')}
          </Text>
        ) : null}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {(Object.keys(RANGES) as NumberSetting[]).map((key) => {
            const range = RANGES[key];
            return (
              <NumberInput
                key={key}
                label={t(`settings.${key}`)}
                description={t(`settings.${key}Hint`, {
                  min: num(range.min, range.decimals),
                  max: num(range.max, range.decimals),
                })}
                value={form[key]}
                min={range.min}
                max={range.max}
                step={range.step}
                decimalScale={range.decimals}
                onChange={(v) => setForm((f) => ({ ...f, [key]: typeof v === 'number' ? v : Number(v) }))}
                error={inRange(key) ? undefined : t('settings.range', { min: num(range.min, 3), max: num(range.max) })}
                readOnly={!canWrite}
              />
            );
          })}
        </SimpleGrid>
        <TextInput
          label={t('settings.webhookUrl')}
          description={t('settings.webhookUrlHint')}
          value={form.webhookUrl ?? ''}
          maxLength={WEBHOOK_URL_MAX}
          onChange={(e) => {
            const value = e.currentTarget.value;
            setForm((f) => ({ ...f, webhookUrl: value || null }));
          }}
          error={urlOk ? undefined : t('settings.urlInvalid')}
          readOnly={!canWrite}
          dir="ltr"
          type="url"
        />
        {canWrite ? (
          <PasswordInput
            label={t('settings.webhookSecret')}
            description={t(form.webhookSecretSet ? 'settings.secretSet' : 'settings.secretUnset', {
              min: SECRET.min,
            })}
            value={secret}
            maxLength={SECRET.max}
            onChange={(e) => setSecret(e.currentTarget.value)}
            error={secretOk ? undefined : t('settings.secretLength', { min: SECRET.min, max: SECRET.max })}
            autoComplete="new-password"
          />
        ) : null}
        <Switch
          label={t('settings.dailyDigest')}
          checked={form.dailyDigest}
          onChange={(e) => {
            const checked = e.currentTarget.checked;
            setForm((f) => ({ ...f, dailyDigest: checked }));
          }}
          disabled={!canWrite}
        />
        {canWrite ? (
          <Button type="submit" loading={save.isPending} disabled={!valid} w="fit-content">
            {t('settings.save')}
          </Button>
        ) : null}
      </Stack>
    </Card>
  );
}

function Deliveries() {
  const { t } = useTranslation('insights');
  const canWrite = useCan('insights.write');
  const deliveries = useAlertDeliveries();
  const retry = useRetryDelivery();
  const columns: Column<AlertDelivery>[] = [
    { key: 'createdAt', header: t('deliveries.created'), render: (d) => day(d.createdAt) },
    { key: 'event', header: t('deliveries.event'), render: (d) => d.event },
    {
      key: 'status',
      header: t('deliveries.status'),
      render: (d) => (
        <Badge variant="light" tt="none" color={d.status === 'sent' ? 'green' : d.status === 'dead' ? 'red' : 'gray'}>
          {t(`deliveries.state.${d.status}`)}
        </Badge>
      ),
    },
    { key: 'attempts', header: t('deliveries.attempts'), render: (d) => num(d.attempts) },
    {
      key: 'error',
      header: t('deliveries.error'),
      render: (d) => (
        <Text size="xs" className="al-wrap-anywhere">
          {d.lastError ?? '—'}
        </Text>
      ),
    },
    {
      key: 'actions',
      header: <span className="al-visually-hidden">{t('deliveries.actions')}</span>,
      render: (d) =>
        canWrite && d.status !== 'sent' ? (
          <Button
            size="xs"
            variant="default"
            loading={retry.isPending && retry.variables === d.id}
            onClick={() =>
              retry.mutate(d.id, {
                onSuccess: () => notify('success', t('deliveries.retried')),
                onError: (e) => notify('error', errorText(e)),
              })
            }
          >
            {t('deliveries.retry')}
          </Button>
        ) : null,
    },
  ];
  return (
    <DataTable
      caption={t('deliveries.title')}
      columns={columns}
      rows={deliveries.data?.deliveries}
      rowKey={(d) => String(d.id)}
      loading={deliveries.isFetching}
      error={deliveries.error}
      onRetry={() => void deliveries.refetch()}
      empty={{ title: t('deliveries.emptyTitle'), body: t('deliveries.emptyBody') }}
    />
  );
}

/** Alerts (open or all), the thresholds that raise them, and the webhook deliveries with retry. */
export function AlertsScreen() {
  const { t } = useTranslation('insights');
  const filters = useUrlFilters(['show', 'tab'] as const);
  const open = filters.values.show !== 'all';
  const alerts = useAlerts({ open: open ? 'true' : undefined });
  const settings = useAlertSettings();
  return (
    <div className="al-page">
      <PageHeader
        title={t('alerts.title')}
        description={t('alerts.description')}
        helpNs="insights"
        actions={<CsvLink href={csvUrl('/alerts', { open: open ? 'true' : undefined })} name="insights-alerts" />}
      />
      <Tabs
        value={filters.values.tab || 'alerts'}
        onChange={(tab) => filters.set({ tab: tab === 'alerts' ? null : tab })}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="alerts">{t('alerts.tab')}</Tabs.Tab>
          <Tabs.Tab value="settings">{t('settings.title')}</Tabs.Tab>
          <Tabs.Tab value="deliveries">{t('deliveries.title')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="alerts">
          <Stack gap="sm">
            <SegmentedControl
              w="fit-content"
              value={open ? 'open' : 'all'}
              onChange={(v) => filters.set({ show: v === 'all' ? 'all' : null })}
              aria-label={t('alerts.show')}
              data={[
                { value: 'open', label: t('alerts.showOpen') },
                { value: 'all', label: t('alerts.showAll') },
              ]}
            />
            <Loadable query={alerts}>{(data) => <AlertList alerts={data.alerts} />}</Loadable>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="settings">
          <Loadable query={settings}>{(data) => <SettingsForm settings={data} />}</Loadable>
        </Tabs.Panel>
        <Tabs.Panel value="deliveries">
          <Deliveries />
        </Tabs.Panel>
      </Tabs>
    </div>
  );
}
