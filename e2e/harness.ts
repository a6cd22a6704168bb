import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { seedContent } from '../src/cli/seed/seed-content.js';
import { createTestApp, type TestApp } from '../src/server/test-app.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve('artifacts/screenshots');

export interface Harness {
  app: TestApp;
  baseUrl: string;
  browser: Browser;
  newPage(options?: { locale?: string; width?: number; height?: number }): Promise<Page>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real server on a loopback port with the demo content seeded into its own fresh database, and Debian's
 * Chromium driven by playwright-core (never a downloaded browser).
 */
export async function startHarness(options: { prepare?: Parameters<typeof createTestApp>[0] } = {}): Promise<Harness> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install chromium)`,
    );
  }
  const app = await createTestApp({
    ...options.prepare,
    prepare: async (db) => {
      await seedContent(db.db);
      await options.prepare?.prepare?.(db);
    },
  });
  await app.app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    async newPage(pageOptions = {}) {
      const context = await browser.newContext({
        viewport: { width: pageOptions.width ?? 1280, height: pageOptions.height ?? 900 },
        locale: pageOptions.locale ?? 'en-US',
      });
      return context.newPage();
    },
    async screenshot(page, name) {
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: false });
      return file;
    },
    async close() {
      await browser.close();
      await app.close();
    },
  };
}
