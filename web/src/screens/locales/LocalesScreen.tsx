import {
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '../../../../src/shared/limits.js';
import type { LocaleRow } from '../../api/contract.js';
import { useCan } from '../../app/session.js';
import { type Column, DataTable } from '../../components/DataTable.js';
import { LimitedTextInput } from '../../components/fields.js';
import { PageHeader } from '../../components/PageHeader.js';
import { fieldErrors, notifyFailed, notifySaved } from '../settings/feedback.js';
import { useCreateLocale, useLocales, useUpdateLocale } from './api.js';

/** The same form the server checks (locales.schema.ts): `fr`, `pt-BR`, `zh-Hant`, `es-419`. */
const LOCALE_CODE = /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2}|-\d{3})?$/;
const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'sd', 'yi', 'dv', 'ug', 'ckb']);
const SOURCE = 'en';

/** Locales: content languages as configuration: list, add, edit, enable or disable (never English). */
export function LocalesScreen() {
  const { t } = useTranslation('locales');
  const canWrite = useCan('locales.write');
  const locales = useLocales();
  const update = useUpdateLocale();
  const [editing, setEditing] = useState<LocaleRow | 'new' | null>(null);
  const nameOf = (code: string) => locales.data?.find((l) => l.code === code)?.name ?? code;

  const columns: Column<LocaleRow>[] = [
    {
      key: 'name',
      header: t('name'),
      render: (locale) => (
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={500} lang={locale.code} dir={locale.direction}>
            {locale.name}
          </Text>
          {locale.builtIn ? (
            <Badge size="xs" variant="outline" color="gray" radius="sm" tt="none">
              {t('builtIn')}
            </Badge>
          ) : null}
        </Group>
      ),
    },
    { key: 'code', header: t('code'), render: (locale) => <code dir="ltr">{locale.code}</code> },
    { key: 'direction', header: t('direction'), render: (locale) => t(locale.direction) },
    {
      key: 'fallback',
      header: t('fallback'),
      render: (locale) =>
        locale.code === SOURCE ? (
          '—'
        ) : (
          <Text size="sm">{[...locale.fallback.filter((c) => c !== SOURCE), SOURCE].map(nameOf).join(' → ')}</Text>
        ),
    },
    {
      key: 'ui',
      header: t('uiLanguage'),
      render: (locale) =>
        locale.uiLanguage === locale.code ? (
          <Text size="sm">{t('uiOwn')}</Text>
        ) : (
          <Text size="sm" c="dimmed">
            {t('uiBorrowed')} ({nameOf(locale.uiLanguage)})
          </Text>
        ),
    },
    {
      key: 'enabled',
      header: t('status'),
      render: (locale) =>
        canWrite && locale.code !== SOURCE ? (
          <Switch
            checked={locale.enabled}
            disabled={update.isPending}
            label={locale.enabled ? t('enabled') : t('disabled')}
            aria-label={`${locale.enabled ? t('disable') : t('enable')} ${locale.name}`}
            onChange={(event) => {
              const enabled = event.currentTarget.checked;
              update.mutate(
                { code: locale.code, enabled },
                { onSuccess: () => notifySaved(t('saved')), onError: notifyFailed },
              );
            }}
          />
        ) : (
          <Badge
            color={locale.enabled ? 'green' : 'gray'}
            variant="light"
            radius="sm"
            tt="none"
            title={locale.code === SOURCE ? t('sourceAlwaysOn') : undefined}
          >
            {locale.enabled ? t('enabled') : t('disabled')}
          </Badge>
        ),
    },
  ];
  if (canWrite) {
    columns.push({
      key: 'actions',
      header: <span className="al-visually-hidden">{t('edit')}</span>,
      render: (locale) => (
        <Button
          size="xs"
          variant="default"
          leftSection={<IconPencil size={14} aria-hidden />}
          onClick={() => setEditing(locale)}
          aria-label={t('editTitle', { code: locale.code })}
        >
          {t('edit')}
        </Button>
      ),
    });
  }

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('subtitle')}
        helpNs="locales"
        actions={
          canWrite ? (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
              {t('add')}
            </Button>
          ) : null
        }
      />
      {!canWrite ? (
        <Text size="sm" c="dimmed" mb="sm">
          {t('readOnly')}
        </Text>
      ) : null}
      <DataTable
        caption={t('title')}
        columns={columns}
        rows={locales.data}
        rowKey={(locale) => locale.code}
        loading={locales.isPending}
        error={locales.error}
        onRetry={() => void locales.refetch()}
        empty={{ title: t('empty.title'), body: t('empty.body') }}
      />
      {editing && locales.data ? (
        <LocaleEditor locale={editing === 'new' ? null : editing} all={locales.data} onClose={() => setEditing(null)} />
      ) : null}
    </>
  );
}

function LocaleEditor({ locale, all, onClose }: { locale: LocaleRow | null; all: LocaleRow[]; onClose: () => void }) {
  const { t } = useTranslation('locales');
  const create = useCreateLocale();
  const update = useUpdateLocale();
  const [code, setCode] = useState(locale?.code ?? '');
  const [name, setName] = useState(locale?.name ?? '');
  const [direction, setDirection] = useState<'ltr' | 'rtl'>(locale?.direction ?? 'ltr');
  const [directionTouched, setDirectionTouched] = useState(locale !== null);
  const [fallback, setFallback] = useState<string[]>(locale?.fallback.filter((c) => c !== SOURCE) ?? []);
  const server = fieldErrors(create.error ?? update.error);

  const codeError =
    code && (code.length > LIMITS.localeCode || !LOCALE_CODE.test(code))
      ? t('codeHint')
      : locale === null && all.some((l) => l.code.toLowerCase() === code.toLowerCase())
        ? t('codeTaken')
        : null;
  const valid = code.length > 0 && !codeError && name.trim().length > 0 && [...name].length <= LIMITS.localeName;
  const options = all
    .filter((l) => l.code !== code && l.code !== SOURCE)
    .map((l) => ({ value: l.code, label: `${l.name} (${l.code})` }));

  const onCode = (value: string) => {
    // pt-br → pt-BR, zh-hant → zh-Hant: the form people type, in the form the server wants.
    const parts = value.trim().split(/[-_]/);
    const normal = parts
      .map((part, i) =>
        i === 0
          ? part.toLowerCase()
          : part.length === 4
            ? part[0]!.toUpperCase() + part.slice(1).toLowerCase()
            : part.toUpperCase(),
      )
      .join('-');
    setCode(normal);
    if (!directionTouched) setDirection(RTL_LANGUAGES.has(parts[0]!.toLowerCase()) ? 'rtl' : 'ltr');
  };

  const submit = () => {
    const chain = [...fallback, SOURCE];
    const handlers = {
      onSuccess: () => {
        notifySaved(locale ? t('saved') : t('added', { code }));
        onClose();
      },
      onError: notifyFailed,
    };
    if (locale) update.mutate({ code, name: name.trim(), direction, fallback: chain }, handlers);
    else create.mutate({ code, name: name.trim(), direction, fallback: chain }, handlers);
  };

  return (
    <Modal
      opened
      onClose={onClose}
      size="lg"
      title={locale ? t('editTitle', { code: locale.code }) : t('addTitle')}
      closeButtonProps={{ 'aria-label': t('common:close') }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (valid) submit();
        }}
      >
        <Stack>
          <TextInput
            label={t('code')}
            description={t('codeHint')}
            value={code}
            onChange={(event) => onCode(event.currentTarget.value)}
            disabled={locale !== null}
            required
            dir="ltr"
            error={codeError ?? server.code}
          />
          <LimitedTextInput
            label={t('name')}
            description={t('nameHint')}
            value={name}
            max={LIMITS.localeName}
            required
            showRequired={name.length > 0 || locale !== null}
            onChange={(event) => setName(event.currentTarget.value)}
            error={server.name}
            dir="auto"
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="locale-direction-label">
              {t('direction')}
            </Text>
            <SegmentedControl
              aria-labelledby="locale-direction-label"
              value={direction}
              onChange={(value) => {
                setDirection(value as 'ltr' | 'rtl');
                setDirectionTouched(true);
              }}
              data={[
                { value: 'ltr', label: t('ltr') },
                { value: 'rtl', label: t('rtl') },
              ]}
            />
          </Stack>
          <MultiSelect
            label={t('fallback')}
            description={t('fallbackHint')}
            data={options}
            value={fallback}
            onChange={setFallback}
            maxValues={LIMITS.localeFallbacks - 1}
            searchable
            clearable
            comboboxProps={{ withinPortal: true }}
            error={server.fallback}
          />
          <Text size="sm" c="dimmed">
            {t('fallback')}: {[code || '…', ...fallback, SOURCE].join(' → ')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:cancel')}
            </Button>
            <Button type="submit" disabled={!valid} loading={create.isPending || update.isPending}>
              {t('save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
