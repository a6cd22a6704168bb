import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles/admin.css';
import { DirectionProvider, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Router } from 'wouter';
import { App } from './app/App.js';
import { theme } from './app/theme.js';
import { readBoot } from './boot.js';
import { directionOf, initI18n } from './i18n.js';

const boot = readBoot();
const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 15_000 },
  },
});

await initI18n(boot);

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
