import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/env.js';
import { buildTopic } from '../modules/content/content.factories.js';
import { createTestApp, type TestApp } from './test-app.js';

function canonical(html: string): string | undefined {
  return /<link rel="canonical" href="([^"]+)"/.exec(html)?.[1];
}

describe('ANSWERLOOP_TRUST_PROXY', () => {
  it('is off by default and parses hop counts and address lists', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ ANSWERLOOP_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ ANSWERLOOP_TRUST_PROXY: '10.0.0.0/8, loopback,2001:db8::/32' }).trustProxy).toEqual([
      '10.0.0.0/8',
      'loopback',
      '2001:db8::/32',
    ]);
  });

  it("refuses 'true' and addresses that are not addresses, naming each", () => {
    expect(() => loadConfig({ ANSWERLOOP_TRUST_PROXY: 'true' })).toThrow(ConfigError);
    try {
      loadConfig({ ANSWERLOOP_TRUST_PROXY: '10.0.0.0/99,proxy.example' });
      expect.unreachable('should have thrown');
    } catch (error) {
      expect((error as ConfigError).problems.join('\n')).toMatch(/10\.0\.0\.0\/99/);
      expect((error as ConfigError).problems.join('\n')).toMatch(/proxy\.example/);
    }
  });
});

describe('forwarding headers', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const forged = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', host: 'help.test' };

  it('are ignored from an untrusted peer: canonical links use the Host the server was reached by', async () => {
    t = await createTestApp({ prepare: async ({ db }) => void (await buildTopic(db, { slug: 'ads' })) });
    const page = await t.app.inject({ method: 'GET', url: '/en', headers: forged, remoteAddress: '203.0.113.9' });
    expect(page.statusCode).toBe(200);
    expect(canonical(page.body)).toBe('http://help.test/en');
    expect(page.body).not.toContain('evil.example');
  });

  it('are believed from a configured proxy', async () => {
    t = await createTestApp({
      env: { ANSWERLOOP_TRUST_PROXY: '10.0.0.0/8' },
      prepare: async ({ db }) => void (await buildTopic(db, { slug: 'ads' })),
    });
    const page = await t.app.inject({ method: 'GET', url: '/en', headers: forged, remoteAddress: '10.1.2.3' });
    expect(canonical(page.body)).toBe('https://evil.example/en');
    const direct = await t.app.inject({ method: 'GET', url: '/en', headers: forged, remoteAddress: '203.0.113.9' });
    expect(canonical(direct.body)).toBe('http://help.test/en');
  });

  it('never override ANSWERLOOP_PUBLIC_URL', async () => {
    t = await createTestApp({
      env: { ANSWERLOOP_TRUST_PROXY: '1', ANSWERLOOP_PUBLIC_URL: 'https://help.example.com/' },
      prepare: async ({ db }) => void (await buildTopic(db, { slug: 'ads' })),
    });
    const page = await t.app.inject({ method: 'GET', url: '/en', headers: forged, remoteAddress: '10.1.2.3' });
    expect(canonical(page.body)).toBe('https://help.example.com/en');
  });
});
