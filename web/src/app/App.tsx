import { Button, Center, Loader, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Redirect, Route, Switch } from 'wouter';
import { can } from '../../../src/shared/permissions.js';
import { ME_KEY, useMe } from '../api/auth.js';
import { ApiError, onSessionLost } from '../api/client.js';
import { isUiLanguage, setUiLanguage } from '../i18n.js';
import { SCREENS } from '../screens/index.js';
import { SignInScreen } from '../screens/signin/SignInScreen.js';
import { Layout } from './Layout.js';
import { SessionProvider } from './session.js';

function Forbidden() {
  const { t } = useTranslation();
  return (
    <Stack align="flex-start" gap="xs">
      <Title order={1}>{t('forbidden.title')}</Title>
      <Text>{t('forbidden.body')}</Text>
    </Stack>
  );
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack align="flex-start" gap="xs">
      <Title order={1}>{t('notFound.title')}</Title>
      <Text>{t('notFound.body')}</Text>
    </Stack>
  );
}

/** Signs in, then routes to the screens the user's role allows. */
export function App() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const me = useMe();

  useEffect(() => {
    onSessionLost(() => client.setQueryData(ME_KEY, null));
  }, [client]);

  const language = me.data?.user.locale;
  useEffect(() => {
    if (language && isUiLanguage(language) && language !== i18n.language) void setUiLanguage(language);
  }, [language, i18n]);

  if (me.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label={t('loading')} />
      </Center>
    );
  }
  if (me.isError) {
    return (
      <Center h="100vh">
        <Stack align="center">
          <Text>
            {me.error instanceof ApiError && me.error.status !== 0 ? me.error.message : t('error.unreachable')}
          </Text>
          <Button onClick={() => void me.refetch()}>{t('retry')}</Button>
        </Stack>
      </Center>
    );
  }
  if (!me.data) return <SignInScreen />;
  const session = me.data;
  const home = SCREENS.find((s) => s.nav && can(session.user.role, s.permission))?.path ?? '/articles';
  return (
    <SessionProvider session={session}>
      <Layout>
        <Switch>
          <Route path="/">
            <Redirect to={home} replace />
          </Route>
          {SCREENS.map((screen) => (
            <Route
              key={screen.path}
              path={screen.path}
              component={can(session.user.role, screen.permission) ? screen.component : Forbidden}
            />
          ))}
          <Route component={NotFound} />
        </Switch>
      </Layout>
    </SessionProvider>
  );
}
