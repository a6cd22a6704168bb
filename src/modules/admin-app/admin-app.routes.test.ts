import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';

/** The URLs of the shell's own script and stylesheet. */
function assetUrls(html: string): { js: string; css: string } {
  const js = /<script type="module" src="(\/admin\/assets\/admin\.[0-9a-f]{12}\.js)"><\/script>/.exec(html)?.[1];
  const css = /<link rel="stylesheet" href="(\/admin\/assets\/admin\.[0-9a-f]{12}\.css)">/.exec(html)?.[1];
  if (!js || !css) throw new Error(`no hashed admin assets in the shell:\n${html}`);
  return { js, css };
}

describe('admin app serving', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it('answers /admin and every path under it with the same small, uncached HTML shell', async () => {
    const root = await t.app.inject({ method: 'GET', url: '/admin' });
    expect(root.statusCode).toBe(200);
    expect(root.headers['content-type']).toMatch(/^text\/html/);
    expect(root.headers['cache-control']).toBe('no-store');
    expect(root.body).toContain('<html lang="en" dir="ltr">');
    expect(root.body).toContain('<div id="root"></div>');
    expect(root.body.length).toBeLessThan(4_000);
    const deep = await t.app.inject({ method: 'GET', url: '/admin/articles/reset-password/ar' });
    expect(deep.statusCode).toBe(200);
    expect(assetUrls(deep.body)).toEqual(assetUrls(root.body));
  });

  it('keeps the site CSP (no inline scripts) and allows styles only with a per-page nonce', async () => {
    const first = await t.app.inject({ method: 'GET', url: '/admin' });
    const second = await t.app.inject({ method: 'GET', url: '/admin' });
    const csp = String(first.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toContain("default-src 'self'");
    const nonce = /style-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(first.body).toContain(`"styleNonce":"${nonce}"`);
    expect(String(second.headers['content-security-policy'])).not.toContain(nonce);
    expect(csp).not.toContain('unsafe-inline');
    // The boot data is a JSON block, never executable script.
    expect(first.body).not.toMatch(/<script>(?!<\/script>)/);
  });

  it('serves the bundle and stylesheet under content hashes with an immutable year-long cache', async () => {
    const shell = await t.app.inject({ method: 'GET', url: '/admin' });
    const { js, css } = assetUrls(shell.body);
    const script = await t.app.inject({ method: 'GET', url: js });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.body.length).toBeGreaterThan(50_000);
    const style = await t.app.inject({ method: 'GET', url: css });
    expect(style.headers['content-type']).toMatch(/text\/css/);
    expect(style.body).toContain('--mantine-primary-color-filled');
    const boot = JSON.parse(/<script type="application\/json" id="admin-boot">(.*?)<\/script>/.exec(shell.body)![1]!);
    expect(Object.keys(boot.messages).sort()).toEqual(['ar', 'en', 'es', 'he', 'ja', 'ru']);
    const ar = await t.app.inject({ method: 'GET', url: boot.messages.ar });
    expect(ar.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(ar.json().common.nav.articles).toBe('المقالات');
  });

  it('answers an unknown admin asset with a JSON 404, not the shell', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/admin/assets/admin.000000000000.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
  });
});
