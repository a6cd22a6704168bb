import { Alert, Button, Card, PasswordInput, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLogin } from '../../api/auth.js';
import { ApiError } from '../../api/client.js';
import { isUiLanguage, setUiLanguage, UI_LANGUAGE_NAMES, UI_LANGUAGES } from '../../i18n.js';

/** Email and password; one message for wrong credentials, and the wait when sign-in is throttled. */
export function SignInScreen() {
  const { t, i18n } = useTranslation('signin');
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    document.title = `${t('title')} · Answerloop`;
  }, [t]);
  useEffect(() => {
    if (!waitUntil) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [waitUntil]);

  const secondsLeft = waitUntil ? Math.max(0, Math.ceil((waitUntil - now) / 1000)) : 0;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate(
      { email: email.trim(), password },
      {
        onError: (error) => {
          if (error instanceof ApiError && error.status === 429) {
            setNow(Date.now());
            setWaitUntil(Date.now() + (error.retryAfter ?? 60) * 1000);
          }
        },
      },
    );
  };

  let message: string | null = null;
  if (login.error instanceof ApiError) {
    if (login.error.status === 429) message = secondsLeft > 0 ? t('throttled', { count: secondsLeft }) : null;
    else if (login.error.status === 401) message = t('wrong');
    else if (login.error.status === 0) message = t('common:error.unreachable');
    else message = login.error.message;
  } else if (login.error) message = t('common:error.unreachable');

  return (
    <main className="al-signin">
      <Card className="al-signin-card" shadow="sm" padding="xl" radius="lg" withBorder>
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <div>
              <Text className="al-brand" component="p" mb={4}>
                <span className="al-brand-mark" aria-hidden>
                  A
                </span>
                Answerloop
              </Text>
              <Title order={1} size="h3">
                {t('title')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('subtitle')}
              </Text>
            </div>
            {message ? (
              <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert" data-testid="signin-error">
                {message}
              </Alert>
            ) : null}
            <TextInput
              label={t('email')}
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              maxLength={320}
            />
            <PasswordInput
              label={t('password')}
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              maxLength={1000}
            />
            <Button type="submit" loading={login.isPending} disabled={!email || !password || secondsLeft > 0}>
              {t('submit')}
            </Button>
            <Select
              label={t('language')}
              data={UI_LANGUAGES.map((lng) => ({ value: lng, label: UI_LANGUAGE_NAMES[lng] }))}
              value={i18n.language}
              onChange={(value) => value && isUiLanguage(value) && void setUiLanguage(value)}
              allowDeselect={false}
              size="xs"
            />
          </Stack>
        </form>
      </Card>
    </main>
  );
}
