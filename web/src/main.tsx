import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles/admin.css';
import { DirectionProvider, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { setNonce } from 'get-nonce';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Router } from 'wouter';
import { fetchMe, ME_KEY } from './api/auth.js';
import { App } from './app/App.js';
import { theme } from './app/theme.js';
import { readBoot } from './boot.js';
import { directionOf, initI18n } from './i18n.js';

const boot = readBoot();
// Mantine's Modal and Drawer lock page scroll with react-remove-scroll, which adds a <style> element carrying the
// nonce that get-nonce holds (none by default): without the page's style nonce the CSP would block it on every dialog.
setNonce(boot.styleNonce);
const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 15_000 },
  },
});

// The session is asked for while the strings load, not after: one round trip less before the first screen.
await Promise.all([
  initI18n(boot),
  queryClient.prefetchQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000, retry: false }),
]);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DirectionProvider initialDirection={directionOf(document.documentElement.lang)}>
      {/*
        No runtime <style> for theme variables or global classes: both ship in the hashed CSS file (styles/admin.css),
        so the page's CSP keeps style-src to 'self'. The nonce covers the few responsive rules Mantine still renders.
      */}
      <MantineProvider
        theme={theme}
        withCssVariables={false}
        withGlobalClasses={false}
        getStyleNonce={() => boot.styleNonce}
      >
        <Notifications position="top-center" />
        <QueryClientProvider client={queryClient}>
          <Router base="/admin">
            <App />
          </Router>
        </QueryClientProvider>
      </MantineProvider>
    </DirectionProvider>
  </StrictMode>,
);
