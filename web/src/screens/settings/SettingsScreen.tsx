import { Alert, Button, Group, NumberInput, Paper, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '../../../../src/shared/limits.js';
import { ApiError, api } from '../../api/client.js';
import type { Settings, SettingsResponse } from '../../api/contract.js';
import { useCan } from '../../app/session.js';
import { LimitedTextInput } from '../../components/fields.js';
import { PageHeader } from '../../components/PageHeader.js';
import { fieldErrors, notifyFailed, notifySaved } from './feedback.js';

const SETTINGS_KEY = ['settings'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const RANGES = {
  sessionIdleHours: { min: 1, max: LIMITS.sessionIdleHoursMax },
  sessionMaxDays: { min: 1, max: LIMITS.sessionMaxDaysMax },
} as const;

/** Settings: the help center's name and support email, and the session limits, validated as you type. */
export function SettingsScreen() {
  const { t } = useTranslation('settings');
  const canWrite = useCan('settings.write');
  const client = useQueryClient();
  const settings = useQuery({ queryKey: SETTINGS_KEY, queryFn: () => api<SettingsResponse>('/api/settings') });
  const save = useMutation({
    mutationFn: (body: Partial<Settings>) => api<SettingsResponse>('/api/settings', { method: 'PUT', body }),
    onSuccess: (data) => client.setQueryData(SETTINGS_KEY, data),
  });
  const [draft, setDraft] = useState<Settings | null>(null);
  useEffect(() => {
    if (settings.data) setDraft(settings.data.settings);
  }, [settings.data]);

  const header = <PageHeader title={t('title')} description={t('subtitle')} helpNs="settings" />;
  if (settings.isError) {
    return (
      <>
        {header}
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={t('error')} role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              {settings.error instanceof ApiError ? settings.error.message : String(settings.error)}
            </Text>
            <Button size="xs" variant="white" color="red" onClick={() => void settings.refetch()}>
              {t('common:retry')}
            </Button>
          </Stack>
        </Alert>
      </>
    );
  }
  if (!draft || !settings.data) {
    return (
      <>
        {header}
        <Stack gap="sm" maw={560} aria-busy="true">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} height={56} />
          ))}
        </Stack>
      </>
    );
  }

  const server = fieldErrors(save.error);
  const rangeError = (key: keyof typeof RANGES) => {
    const value = draft[key];
    const { min, max } = RANGES[key];
    return Number.isInteger(value) && value >= min && value <= max ? null : t('validation.range', { min, max });
  };
  const emailError =
    draft.supportEmail.length === 0
      ? t('validation.required')
      : draft.supportEmail.length > LIMITS.email || !EMAIL.test(draft.supportEmail)
        ? t('validation.email')
        : null;
  const nameError = draft.helpCenterName.trim().length === 0 ? t('validation.required') : null;
  const valid =
    !nameError &&
    [...draft.helpCenterName].length <= LIMITS.helpCenterName &&
    !emailError &&
    !rangeError('sessionIdleHours') &&
    !rangeError('sessionMaxDays');
  const saved = settings.data.settings;
  const changes = Object.fromEntries(
    (Object.keys(draft) as (keyof Settings)[])
      .filter((key) => draft[key] !== saved[key])
      .map((key) => [key, typeof draft[key] === 'string' ? (draft[key] as string).trim() : draft[key]]),
  ) as Partial<Settings>;
  const dirty = Object.keys(changes).length > 0;
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) =>
    setDraft((old) => (old ? { ...old, [key]: value } : old));
  const numberOf = (value: string | number) => (typeof value === 'number' ? value : Number.NaN);

  return (
    <>
      {header}
      {!canWrite ? (
        <Text size="sm" c="dimmed" mb="sm">
          {t('readOnly')}
        </Text>
      ) : null}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!valid || !dirty) return;
          save.mutate(changes, { onSuccess: () => notifySaved(t('saved')), onError: notifyFailed });
        }}
      >
        <Stack maw={640} gap="lg">
          <Paper withBorder radius="md" p="md" component="fieldset" disabled={!canWrite}>
            <Title order={2} size="h4" mb="sm" component="legend">
              {t('general')}
            </Title>
            <Stack gap="sm">
              <LimitedTextInput
                label={t('helpCenterName')}
                description={t('helpCenterNameHint')}
                value={draft.helpCenterName}
                max={LIMITS.helpCenterName}
                required
                readOnly={!canWrite}
                onChange={(event) => set('helpCenterName', event.currentTarget.value)}
                error={nameError ?? server.helpCenterName}
              />
              <TextInput
                label={t('supportEmail')}
                description={t('supportEmailHint')}
                type="email"
                value={draft.supportEmail}
                required
                readOnly={!canWrite}
                dir="ltr"
                onChange={(event) => set('supportEmail', event.currentTarget.value.trim())}
                error={emailError ?? server.supportEmail}
              />
            </Stack>
          </Paper>
          <Paper withBorder radius="md" p="md" component="fieldset" disabled={!canWrite}>
            <Title order={2} size="h4" mb="sm" component="legend">
              {t('sessions')}
            </Title>
            <Stack gap="sm">
              <NumberInput
                label={t('sessionIdleHours')}
                description={t('sessionIdleHoursHint', RANGES.sessionIdleHours)}
                value={draft.sessionIdleHours}
                min={RANGES.sessionIdleHours.min}
                max={RANGES.sessionIdleHours.max}
                allowDecimal={false}
                clampBehavior="none"
                readOnly={!canWrite}
                onChange={(value) => set('sessionIdleHours', numberOf(value))}
                error={rangeError('sessionIdleHours') ?? server.sessionIdleHours}
              />
              <NumberInput
                label={t('sessionMaxDays')}
                description={t('sessionMaxDaysHint', RANGES.sessionMaxDays)}
                value={draft.sessionMaxDays}
                min={RANGES.sessionMaxDays.min}
                max={RANGES.sessionMaxDays.max}
                allowDecimal={false}
                clampBehavior="none"
                readOnly={!canWrite}
                onChange={(value) => set('sessionMaxDays', numberOf(value))}
                error={rangeError('sessionMaxDays') ?? server.sessionMaxDays}
              />
            </Stack>
          </Paper>
          {canWrite ? (
            <Group>
              <Button type="submit" disabled={!valid || !dirty} loading={save.isPending}>
                {t('save')}
              </Button>
              <Button variant="default" disabled={!dirty} onClick={() => setDraft(saved)}>
                {t('reset')}
              </Button>
            </Group>
          ) : null}
        </Stack>
      </form>
    </>
  );
}
