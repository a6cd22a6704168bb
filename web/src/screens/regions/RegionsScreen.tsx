import {
  Alert,
  Badge,
  Button,
  Checkbox,
  ColorInput,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseHexColor } from '../../../../src/shared/contrast.js';
import { LIMITS } from '../../../../src/shared/limits.js';
import type { RegionRow, RegionsResponse } from '../../api/contract.js';
import { useCan } from '../../app/session.js';
import { ConfirmAction } from '../../components/ConfirmAction.js';
import { type Column, DataTable } from '../../components/DataTable.js';
import { LimitedTextInput } from '../../components/fields.js';
import { PageHeader } from '../../components/PageHeader.js';
import { fieldErrors, notifyFailed, notifySaved } from '../settings/feedback.js';
import {
  formatPrice,
  type RegionTheme,
  SITE_DEFAULT_THEME,
  useDeleteRegion,
  useRegions,
  useSavePrice,
  useSaveRegion,
} from './api.js';
import { ContrastCheck } from './ContrastCheck.js';

const CODE = /^[a-z0-9-]{2,20}$/;
const CURRENCY = /^[A-Z]{3}$/;
const COUNTRY = /^[A-Z]{2}$/;
const PRICE_KEY = /^[a-z0-9_]{1,60}$/;
const THEME_KEYS = ['brand', 'brandContrast', 'accent', 'surface'] as const;
/** ISO 4217 codes this browser can format, to refuse a typo before the server does. */
const KNOWN_CURRENCIES: ReadonlySet<string> = new Set(
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : [],
);

function themeOf(region: RegionRow | null): RegionTheme {
  return { ...SITE_DEFAULT_THEME, ...(region?.theme ?? {}) } as RegionTheme;
}

/** Regions & prices: each market's currency, countries and theme (with a live contrast check), and the price grid. */
export function RegionsScreen() {
  const { t } = useTranslation('regions');
  const canWrite = useCan('regions.write');
  const regions = useRegions();
  const [tab, setTab] = useState<string>('regions');
  const [editing, setEditing] = useState<RegionRow | 'new' | null>(null);
  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('subtitle')}
        helpNs="regions"
        actions={
          canWrite && tab === 'regions' ? (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
              {t('new')}
            </Button>
          ) : null
        }
      />
      {!canWrite ? (
        <Text size="sm" c="dimmed" mb="sm">
          {t('readOnly')}
        </Text>
      ) : null}
      <Tabs value={tab} onChange={(value) => setTab(value ?? 'regions')}>
        <Tabs.List mb="md">
          <Tabs.Tab value="regions">{t('tabs.regions')}</Tabs.Tab>
          <Tabs.Tab value="prices">{t('tabs.prices')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="regions">
          <RegionsTable regions={regions} canWrite={canWrite} onEdit={setEditing} />
        </Tabs.Panel>
        <Tabs.Panel value="prices">
          {regions.isError ? (
            <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={t('error')} role="alert">
              <Button size="xs" variant="white" color="red" onClick={() => void regions.refetch()}>
                {t('common:retry')}
              </Button>
            </Alert>
          ) : regions.data ? (
            <Stack>
              <PricesGrid data={regions.data} canWrite={canWrite} />
              <PricePreview data={regions.data} />
            </Stack>
          ) : (
            <Text c="dimmed">{t('common:loading')}</Text>
          )}
        </Tabs.Panel>
      </Tabs>
      {editing && regions.data ? (
        <RegionEditor
          region={editing === 'new' ? null : editing}
          data={regions.data}
          onClose={() => setEditing(null)}
        />
      ) : null}
    </>
  );
}

function RegionsTable(props: {
  regions: ReturnType<typeof useRegions>;
  canWrite: boolean;
  onEdit: (region: RegionRow) => void;
}) {
  const { t } = useTranslation('regions');
  const remove = useDeleteRegion();
  const columns: Column<RegionRow>[] = [
    {
      key: 'name',
      header: t('name'),
      render: (region) => (
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={500}>
            {region.name}
          </Text>
          {region.isDefault ? (
            <Badge size="sm" variant="light" radius="sm" tt="none">
              {t('default')}
            </Badge>
          ) : null}
        </Group>
      ),
    },
    { key: 'code', header: t('code'), render: (region) => <code dir="ltr">{region.code}</code> },
    { key: 'currency', header: t('currency'), render: (region) => <span dir="ltr">{region.currency}</span> },
    {
      key: 'countries',
      header: t('countries'),
      render: (region) =>
        region.countries.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('noCountries')}
          </Text>
        ) : (
          <Text size="sm" title={region.countries.join(', ')}>
            {t('countriesCount', { count: region.countries.length })}
          </Text>
        ),
    },
    {
      key: 'theme',
      header: t('theme'),
      render: (region) => {
        const theme = themeOf(region);
        return (
          <Group gap={4} wrap="nowrap" aria-label={THEME_KEYS.map((k) => `${t(`colors.${k}`)} ${theme[k]}`).join(', ')}>
            {THEME_KEYS.map((k) => (
              <span
                key={k}
                title={`${t(`colors.${k}`)}: ${theme[k]}`}
                style={{
                  display: 'inline-block',
                  width: 18,
                  height: 18,
                  borderRadius: 4,
                  background: theme[k],
                  border: '1px solid var(--mantine-color-gray-4)',
                }}
              />
            ))}
          </Group>
        );
      },
    },
  ];
  if (props.canWrite) {
    columns.push({
      key: 'actions',
      header: <span className="al-visually-hidden">{t('edit')}</span>,
      render: (region) => (
        <Group gap={4} wrap="nowrap" justify="flex-end">
          <Button
            size="xs"
            variant="default"
            leftSection={<IconPencil size={14} aria-hidden />}
            onClick={() => props.onEdit(region)}
            aria-label={`${t('edit')} ${region.name}`}
          >
            {t('edit')}
          </Button>
          {region.isDefault ? null : (
            <ConfirmAction
              size="xs"
              variant="subtle"
              color="red"
              leftSection={<IconTrash size={14} aria-hidden />}
              label={t('delete')}
              aria-label={`${t('delete')} ${region.name}`}
              title={t('delete')}
              message={t('deleteConfirm', { name: region.name })}
              confirmLabel={t('delete')}
              onConfirm={() => remove.mutateAsync(region.code).then(() => notifySaved(t('deleted')), notifyFailed)}
            />
          )}
        </Group>
      ),
    });
  }
  return (
    <DataTable
      caption={t('tabs.regions')}
      columns={columns}
      rows={props.regions.data?.regions}
      rowKey={(region) => region.code}
      loading={props.regions.isPending}
      error={props.regions.error}
      onRetry={() => void props.regions.refetch()}
      empty={{ title: t('empty.title'), body: t('empty.body') }}
    />
  );
}

function RegionEditor({
  region,
  data,
  onClose,
}: {
  region: RegionRow | null;
  data: RegionsResponse;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('regions');
  const save = useSaveRegion();
  const [code, setCode] = useState(region?.code ?? '');
  const [name, setName] = useState(region?.name ?? '');
  const [currency, setCurrency] = useState(region?.currency ?? '');
  const [countries, setCountries] = useState<string[]>(region?.countries ?? []);
  const [isDefault, setIsDefault] = useState(region?.isDefault ?? false);
  const [theme, setTheme] = useState<RegionTheme>(() => themeOf(region));
  const [previewKey, setPreviewKey] = useState<string | null>(data.prices[0]?.key ?? null);
  const server = fieldErrors(save.error);

  const codeError =
    code && !CODE.test(code)
      ? t('codeHint')
      : region === null && data.regions.some((r) => r.code === code)
        ? t('codeTaken')
        : null;
  const currencyError =
    currency && (!CURRENCY.test(currency) || (KNOWN_CURRENCIES.size > 0 && !KNOWN_CURRENCIES.has(currency)))
      ? t('currencyHint')
      : null;
  const badCountries = countries.filter((c) => !COUNTRY.test(c));
  const countriesError = badCountries.length > 0 ? `${t('countriesHint')} (${badCountries.join(', ')})` : null;
  const colorErrors = Object.fromEntries(
    THEME_KEYS.map((k) => [k, /^#[0-9a-fA-F]{6}$/.test(theme[k]) && parseHexColor(theme[k]) ? null : t('colorHint')]),
  ) as Record<(typeof THEME_KEYS)[number], string | null>;
  const valid =
    code.length > 0 &&
    !codeError &&
    name.trim().length > 0 &&
    [...name].length <= LIMITS.regionName &&
    currency.length > 0 &&
    !currencyError &&
    !countriesError &&
    countries.length <= 300 &&
    THEME_KEYS.every((k) => !colorErrors[k]);

  const amount = previewKey ? data.prices.find((p) => p.key === previewKey)?.amounts[currency] : undefined;

  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={region ? `${t('edit')} · ${region.name}` : t('new')}
      closeButtonProps={{ 'aria-label': t('common:close') }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!valid) return;
          save.mutate(
            { code, name: name.trim(), currency, countries, theme, isDefault },
            {
              onSuccess: () => {
                notifySaved(t('saved'));
                onClose();
              },
              onError: notifyFailed,
            },
          );
        }}
      >
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <Stack gap="sm">
            <TextInput
              label={t('code')}
              description={t('codeHint')}
              value={code}
              onChange={(event) => setCode(event.currentTarget.value.trim().toLowerCase())}
              disabled={region !== null}
              required
              dir="ltr"
              error={codeError ?? server.code}
            />
            <LimitedTextInput
              label={t('name')}
              value={name}
              max={LIMITS.regionName}
              showRequired={name.length > 0 || region !== null}
              required
              onChange={(event) => setName(event.currentTarget.value)}
              error={server.name}
            />
            <TextInput
              label={t('currency')}
              description={t('currencyHint')}
              value={currency}
              onChange={(event) => setCurrency(event.currentTarget.value.trim().toUpperCase().slice(0, 3))}
              required
              dir="ltr"
              error={currencyError ?? server.currency}
            />
            <TagsInput
              label={t('countries')}
              description={t('countriesHint')}
              value={countries}
              onChange={(values) => setCountries([...new Set(values.map((v) => v.trim().toUpperCase()))])}
              splitChars={[',', ' ', ';']}
              clearable
              dir="ltr"
              error={countriesError ?? server.countries}
            />
            <Checkbox
              label={t('makeDefault')}
              checked={isDefault}
              onChange={(event) => setIsDefault(event.currentTarget.checked)}
            />
          </Stack>
          <Stack gap="sm">
            <Text fw={600} size="sm">
              {t('theme')}
            </Text>
            <SimpleGrid cols={2} spacing="sm">
              {THEME_KEYS.map((k) => (
                <ColorInput
                  key={k}
                  label={t(`colors.${k}`)}
                  value={theme[k]}
                  format="hex"
                  onChange={(value) => setTheme((old) => ({ ...old, [k]: value }))}
                  error={colorErrors[k]}
                  dir="ltr"
                  data-color={k}
                  withEyeDropper={false}
                  popoverProps={{ withinPortal: true }}
                />
              ))}
            </SimpleGrid>
            <ContrastCheck theme={theme} />
            {data.prices.length > 0 ? (
              <Paper withBorder radius="md" p="sm">
                <Group align="flex-end" gap="sm" wrap="wrap">
                  <Select
                    label={t('preview.key')}
                    data={data.prices.map((p) => p.key)}
                    value={previewKey}
                    onChange={setPreviewKey}
                    allowDeselect={false}
                    comboboxProps={{ withinPortal: true }}
                    w={220}
                  />
                  <Stack gap={0}>
                    <Text size="xs" c="dimmed">
                      {t('preview.shows', { region: name || code })}
                    </Text>
                    <Text fw={600} data-testid="region-price-preview">
                      {amount === undefined || currencyError || !currency
                        ? t('preview.missing', { currency: currency || '—' })
                        : formatPrice(amount, currency, i18n.language)}
                    </Text>
                  </Stack>
                </Group>
              </Paper>
            ) : null}
          </Stack>
        </SimpleGrid>
        <Group justify="flex-end" mt="lg">
          <Button variant="default" onClick={onClose}>
            {t('common:cancel')}
          </Button>
          <Button type="submit" disabled={!valid} loading={save.isPending}>
            {t('common:save')}
          </Button>
        </Group>
      </form>
    </Modal>
  );
}

function amountError(value: string | number | undefined): boolean {
  if (value === '' || value === undefined) return false;
  const n = typeof value === 'number' ? value : Number(value);
  return !Number.isFinite(n) || n < 0 || Math.abs(Math.round(n * 100) - n * 100) > 1e-6;
}

function PricesGrid({ data, canWrite }: { data: RegionsResponse; canWrite: boolean }) {
  const { t } = useTranslation('regions');
  const save = useSavePrice();
  const currencies = useMemo(() => {
    const set = new Set(data.regions.map((r) => r.currency));
    for (const price of data.prices) for (const c of Object.keys(price.amounts)) set.add(c);
    return [...set].sort();
  }, [data]);
  const [edits, setEdits] = useState<Record<string, Record<string, string | number>>>({});
  const [newKeys, setNewKeys] = useState<string[]>([]);
  const [newKey, setNewKey] = useState('');
  const keys = [...data.prices.map((p) => p.key), ...newKeys.filter((k) => !data.prices.some((p) => p.key === k))];
  const newKeyError =
    newKey && !PRICE_KEY.test(newKey) ? t('prices.keyHint') : keys.includes(newKey) ? t('prices.keyTaken') : null;

  const amountOf = (key: string, currency: string): string | number =>
    edits[key]?.[currency] ?? data.prices.find((p) => p.key === key)?.amounts[currency] ?? '';

  const saveRow = (key: string) => {
    const amounts: Record<string, number> = {};
    for (const currency of currencies) {
      const value = amountOf(key, currency);
      if (value !== '') amounts[currency] = Number(value);
    }
    save.mutate(
      { key, amounts },
      {
        onSuccess: () => {
          notifySaved(t('prices.saved', { key }));
          setEdits(({ [key]: _, ...rest }) => rest);
          setNewKeys((old) => old.filter((k) => k !== key));
        },
        onError: notifyFailed,
      },
    );
  };

  if (keys.length === 0 && !canWrite) {
    return (
      <Text c="dimmed" size="sm">
        {t('prices.empty')}
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      <div className="al-table-wrap" style={{ overflowX: 'auto' }}>
        <Table verticalSpacing={6} withTableBorder striped data-testid="price-grid">
          <caption className="al-visually-hidden">{t('tabs.prices')}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('prices.key')}</Table.Th>
              {currencies.map((c) => (
                <Table.Th key={c} scope="col" dir="ltr">
                  {c}
                </Table.Th>
              ))}
              {canWrite ? (
                <Table.Th scope="col">
                  <span className="al-visually-hidden">{t('prices.save')}</span>
                </Table.Th>
              ) : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {keys.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={currencies.length + 2}>
                  <Text c="dimmed" size="sm">
                    {t('prices.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
            {keys.map((key) => {
              const dirty = edits[key] !== undefined || newKeys.includes(key);
              const invalid = currencies.some((c) => amountError(amountOf(key, c)));
              return (
                <Table.Tr key={key} data-price={key}>
                  <Table.Th scope="row">
                    <Text size="sm" fw={500} dir="ltr" component="span">
                      {key}
                    </Text>
                  </Table.Th>
                  {currencies.map((currency) => (
                    <Table.Td key={currency} miw={110}>
                      {canWrite ? (
                        <NumberInput
                          size="xs"
                          aria-label={`${key} ${currency}`}
                          value={amountOf(key, currency)}
                          min={0}
                          decimalScale={2}
                          hideControls
                          dir="ltr"
                          error={amountError(amountOf(key, currency)) ? t('prices.invalidAmount') : undefined}
                          onChange={(value) =>
                            setEdits((old) => ({ ...old, [key]: { ...(old[key] ?? {}), [currency]: value } }))
                          }
                        />
                      ) : (
                        <Text size="sm" dir="ltr">
                          {amountOf(key, currency)}
                        </Text>
                      )}
                    </Table.Td>
                  ))}
                  {canWrite ? (
                    <Table.Td>
                      <Button
                        size="xs"
                        variant={dirty ? 'filled' : 'default'}
                        disabled={!dirty || invalid}
                        loading={save.isPending && save.variables?.key === key}
                        onClick={() => saveRow(key)}
                        aria-label={`${t('prices.save')} ${key}`}
                      >
                        {t('prices.save')}
                      </Button>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </div>
      {canWrite ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!newKey || newKeyError) return;
            setNewKeys((old) => [...old, newKey]);
            setNewKey('');
          }}
        >
          <Group align="flex-start" gap="sm">
            <TextInput
              label={t('prices.key')}
              description={
                newKey && !newKeyError
                  ? t('prices.placeholder', { placeholder: `{{price:${newKey}}}` })
                  : t('prices.keyHint')
              }
              value={newKey}
              onChange={(event) => setNewKey(event.currentTarget.value.trim().toLowerCase())}
              error={newKeyError}
              dir="ltr"
              w={320}
            />
            <Button
              type="submit"
              mt={{ base: 0, sm: 46 }}
              variant="default"
              leftSection={<IconPlus size={14} aria-hidden />}
              disabled={!newKey || !!newKeyError}
            >
              {t('prices.add')}
            </Button>
          </Group>
        </form>
      ) : null}
    </Stack>
  );
}

function PricePreview({ data }: { data: RegionsResponse }) {
  const { t, i18n } = useTranslation('regions');
  const [regionCode, setRegionCode] = useState<string | null>(
    data.regions.find((r) => r.isDefault)?.code ?? data.regions[0]?.code ?? null,
  );
  const [key, setKey] = useState<string | null>(data.prices[0]?.key ?? null);
  const region = data.regions.find((r) => r.code === regionCode);
  if (!region || data.prices.length === 0) return null;
  const amount = key ? data.prices.find((p) => p.key === key)?.amounts[region.currency] : undefined;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="price-preview-title">
      <Text fw={600} id="price-preview-title" mb="sm" component="h2" size="md">
        {t('preview.title')}
      </Text>
      <Group align="flex-end" gap="md" wrap="wrap">
        <Select
          label={t('preview.region')}
          data={data.regions.map((r) => ({ value: r.code, label: `${r.name} (${r.currency})` }))}
          value={regionCode}
          onChange={setRegionCode}
          allowDeselect={false}
          w={240}
        />
        <Select
          label={t('preview.key')}
          data={data.prices.map((p) => p.key)}
          value={key}
          onChange={setKey}
          allowDeselect={false}
          w={240}
        />
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            {t('preview.shows', { region: region.name })}
          </Text>
          <Text fw={700} size="lg" data-testid="price-preview">
            {amount === undefined
              ? t('preview.missing', { currency: region.currency })
              : formatPrice(amount, region.currency, i18n.language)}
          </Text>
        </Stack>
      </Group>
    </Paper>
  );
}
