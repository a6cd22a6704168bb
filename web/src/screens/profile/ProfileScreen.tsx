import {
  Badge,
  Button,
  Group,
  Paper,
  PasswordInput,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LIMITS } from '../../../../src/shared/limits.js';
import { useUpdateMe } from '../../api/auth.js';
import { useUser } from '../../app/session.js';
import { LimitedTextInput } from '../../components/fields.js';
import { PageHeader } from '../../components/PageHeader.js';
import { setUiLanguage, UI_LANGUAGE_NAMES, UI_LANGUAGES, type UiLanguage } from '../../i18n.js';
import { fieldErrors, notifyFailed, notifySaved } from '../settings/feedback.js';

/** Profile: the user's own name, admin language (switching flips direction at once) and password. */
export function ProfileScreen() {
  const { t, i18n } = useTranslation('profile');
  const user = useUser();
  const updateName = useUpdateMe();
  const updateLanguage = useUpdateMe();
  const updatePassword = useUpdateMe();
  const [name, setName] = useState(user.name);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');

  const nameValid = name.trim().length > 0 && [...name].length <= LIMITS.userName;
  const tooShort = next.length > 0 && next.length < LIMITS.passwordMin;
  const tooLong = next.length > LIMITS.passwordMax;
  const mismatch = again.length > 0 && again !== next;
  const passwordValid = current.length > 0 && next.length >= LIMITS.passwordMin && !tooLong && again === next;
  const passwordServer = fieldErrors(updatePassword.error);

  const chooseLanguage = async (lng: UiLanguage) => {
    // Flip the UI first (direction included), then remember the choice on the server.
    await setUiLanguage(lng);
    updateLanguage.mutate({ locale: lng }, { onSuccess: () => notifySaved(t('languageSaved')), onError: notifyFailed });
  };

  return (
    <>
      <PageHeader title={t('title')} description={t('subtitle')} helpNs="profile" />
      <Stack maw={640} gap="lg">
        <Paper withBorder radius="md" p="md" component="section" aria-labelledby="profile-details">
          <Title order={2} size="h4" mb="sm" id="profile-details">
            {t('details')}
          </Title>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (!nameValid || name.trim() === user.name) return;
              updateName.mutate(
                { name: name.trim() },
                { onSuccess: () => notifySaved(t('saved')), onError: notifyFailed },
              );
            }}
          >
            <Stack gap="sm">
              <TextInput label={t('email')} value={user.email} readOnly dir="ltr" />
              <Group gap="xs">
                <Text size="sm" fw={500}>
                  {t('role')}:
                </Text>
                <Badge variant="light" radius="sm" tt="none">
                  {t(`users:roles.${user.role}`)}
                </Badge>
                {user.role === 'translator' && user.locales.length > 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('locales')}: <span dir="ltr">{user.locales.join(', ')}</span>
                  </Text>
                ) : null}
              </Group>
              <LimitedTextInput
                label={t('name')}
                value={name}
                max={LIMITS.userName}
                required
                showRequired
                onChange={(event) => setName(event.currentTarget.value)}
                autoComplete="name"
              />
              <Group>
                <Button type="submit" disabled={!nameValid || name.trim() === user.name} loading={updateName.isPending}>
                  {t('save')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>

        <Paper withBorder radius="md" p="md" component="section" aria-labelledby="profile-language">
          <Title order={2} size="h4" mb={4} id="profile-language">
            {t('language')}
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            {t('languageHint')}
          </Text>
          <SegmentedControl
            aria-labelledby="profile-language"
            data-testid="profile-language"
            value={i18n.language}
            onChange={(value) => void chooseLanguage(value as UiLanguage)}
            data={UI_LANGUAGES.map((lng) => ({
              value: lng,
              label: (
                <span lang={lng} dir={lng === 'ar' || lng === 'he' ? 'rtl' : 'ltr'}>
                  {UI_LANGUAGE_NAMES[lng]}
                </span>
              ),
            }))}
            fullWidth
            style={{ flexWrap: 'wrap' }}
          />
        </Paper>

        <Paper withBorder radius="md" p="md" component="section" aria-labelledby="profile-password">
          <Title order={2} size="h4" mb="sm" id="profile-password">
            {t('password')}
          </Title>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (!passwordValid) return;
              updatePassword.mutate(
                { currentPassword: current, newPassword: next },
                {
                  onSuccess: () => {
                    notifySaved(t('passwordChanged'));
                    setCurrent('');
                    setNext('');
                    setAgain('');
                  },
                  onError: notifyFailed,
                },
              );
            }}
          >
            <Stack gap="sm">
              {/* A hidden username helps password managers file the new password under the right account. */}
              <input type="text" autoComplete="username" value={user.email} readOnly hidden />
              <PasswordInput
                label={t('currentPassword')}
                value={current}
                onChange={(event) => setCurrent(event.currentTarget.value)}
                autoComplete="current-password"
                dir="ltr"
                error={passwordServer.currentPassword}
              />
              <PasswordInput
                label={t('newPassword')}
                description={t('newPasswordHint', { min: LIMITS.passwordMin })}
                value={next}
                onChange={(event) => setNext(event.currentTarget.value)}
                autoComplete="new-password"
                dir="ltr"
                error={
                  tooShort
                    ? t('tooShort', { min: LIMITS.passwordMin })
                    : tooLong
                      ? t('common:field.tooLong', { max: LIMITS.passwordMax, count: next.length })
                      : passwordServer.newPassword
                }
              />
              <PasswordInput
                label={t('confirmPassword')}
                value={again}
                onChange={(event) => setAgain(event.currentTarget.value)}
                autoComplete="new-password"
                dir="ltr"
                error={mismatch ? t('mismatch') : undefined}
              />
              <Group>
                <Button type="submit" disabled={!passwordValid} loading={updatePassword.isPending}>
                  {t('changePassword')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      </Stack>
    </>
  );
}
