import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const ENTRY = fileURLToPath(new URL('./track.ts', import.meta.url));

describe('the tracking snippet', () => {
  it('is at most 3 KB gzipped and names no other origin', async () => {
    const out = await esbuild.build({
      entryPoints: [ENTRY],
      bundle: true,
      minify: true,
      format: 'esm',
      target: ['es2020'],
      write: false,
    });
    const code = out.outputFiles[0]!.text;
    expect(gzipSync(code).length).toBeLessThanOrEqual(3 * 1024);
    expect(code).not.toMatch(/https?:\/\//);
    expect(code).toContain('/v1/batch');
  });

  describe('in a page', () => {
    let listeners: Record<string, () => void>;
    let beacons: { url: string; body: string }[];
    let fetches: string[];
    beforeEach(() => {
      vi.resetModules();
      listeners = {};
      beacons = [];
      fetches = [];
      vi.stubGlobal('document', {
        body: {
          dataset: {
            alKey: 'alwk_site',
            alLocale: 'es',
            alArticle: 'reset-password',
            alArticleLocale: 'en',
            alRevision: '3',
          },
        },
        documentElement: { lang: 'es' },
        cookie: '',
        title: 'Restablecer',
        referrer: 'https://www.example.com/some/page?secret=1',
        visibilityState: 'visible',
        addEventListener: (name: string, fn: () => void) => {
          listeners[`document:${name}`] = fn;
        },
      });
      vi.stubGlobal('location', { pathname: '/es/articles/reset-password', search: '', protocol: 'https:' });
      vi.stubGlobal('addEventListener', (name: string, fn: () => void) => {
        listeners[name] = fn;
      });
      vi.stubGlobal('navigator', {
        userAgent: 'TestBrowser/1.0',
        doNotTrack: null,
        sendBeacon: (url: string, body: string) => {
          beacons.push({ url, body });
          return true;
        },
      });
      vi.stubGlobal('fetch', (url: string) => {
        fetches.push(url);
        return Promise.resolve(new Response('{}'));
      });
    });
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    it('sends a page view and Article Viewed with sendBeacon when the page is hidden, with a first-party id', async () => {
      const { startTracking } = await import('./track.js');
      startTracking();
      expect(document.cookie).toMatch(/^ajs_anonymous_id=[\w-]+;path=\/;max-age=31536000;samesite=lax;secure$/);
      listeners.pagehide!();
      expect(beacons).toHaveLength(1);
      expect(beacons[0]!.url).toBe('/v1/batch');
      const body = JSON.parse(beacons[0]!.body);
      expect(body.writeKey).toBe('alwk_site');
      expect(body.sentAt).toEqual(expect.any(String));
      expect(body.batch.map((m: { type: string; event?: string }) => m.event ?? m.type)).toEqual([
        'page',
        'Article Viewed',
      ]);
      expect(body.batch[0].properties).toEqual({
        path: '/es/articles/reset-password',
        title: 'Restablecer',
        referrer: 'https://www.example.com/some/page',
        locale: 'es',
      });
      expect(body.batch[1].properties).toEqual({
        locale: 'es',
        article_slug: 'reset-password',
        article_locale: 'en',
        revision: 3,
      });
      expect(new Set(body.batch.map((m: { anonymousId: string }) => m.anonymousId)).size).toBe(1);
      expect(fetches).toEqual([]);
    });

    it('batches tracked events and sends them by fetch once 20 are waiting', async () => {
      const { startTracking, track } = await import('./track.js');
      startTracking();
      for (let i = 0; i < 18; i++) track('Contact Form Step Completed', { step: i + 1 });
      expect(fetches).toEqual(['/v1/batch']);
    });

    it('sends nothing when the browser asks not to be tracked, or the consent cookie says no', async () => {
      (navigator as unknown as { doNotTrack: string }).doNotTrack = '1';
      const first = await import('./track.js');
      first.startTracking();
      first.track('Article Voted', { helpful: true });
      listeners.pagehide?.();
      expect(beacons).toEqual([]);

      vi.resetModules();
      (navigator as unknown as { doNotTrack: string | null }).doNotTrack = null;
      (navigator as unknown as { globalPrivacyControl: boolean }).globalPrivacyControl = true;
      const second = await import('./track.js');
      second.startTracking();
      listeners.pagehide?.();
      expect(beacons).toEqual([]);
      expect(document.cookie).toBe('');
    });
  });
});
