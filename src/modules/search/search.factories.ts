import type { TestApp } from '../../server/test-app.js';
import { READER_COOKIE, SESSION_COOKIE } from '../../shared/reader-identity.js';

/** A browser as the server sees it: its cookies and its address. */
export interface TestBrowser {
  cookies: Record<string, string>;
  remoteAddress: string;
}

/**
 * A reader whose identity the server issued `ageDays` ago (a signed cookie, as a real browser would carry), on the
 * network of `remoteAddress`. Each call with a new `session` is a new browser session of the same reader.
 */
export function agedReader(
  t: TestApp,
  options: { readerId: string; remoteAddress: string; ageDays?: number; session?: string },
): TestBrowser {
  const issuedAt = new Date(Date.now() - (options.ageDays ?? 30) * 86_400_000);
  const session = `s-${options.readerId}-${options.session ?? 'main'}`.replace(/[^A-Za-z0-9_-]/g, '_').padEnd(16, '0');
  return {
    cookies: {
      [READER_COOKIE]: t.ctx.readers.sign(options.readerId, issuedAt),
      [SESSION_COOKIE]: session.slice(0, 64),
    },
    remoteAddress: options.remoteAddress,
  };
}

/**
 * Searches through the API as `browser`, then clicks `slug` among the results the server returned, like a reader on
 * the results page. Returns both answers; the click's status tells whether the server accepted it.
 */
export async function searchAndClick(
  t: TestApp,
  browser: TestBrowser,
  input: { query: string; slug: string; locale?: string },
) {
  const locale = input.locale ?? 'en';
  const search = await t.app.inject({
    url: `/api/search?q=${encodeURIComponent(input.query)}&locale=${locale}`,
    cookies: browser.cookies,
    remoteAddress: browser.remoteAddress,
  });
  const click = await t.app.inject({
    method: 'POST',
    url: '/api/search/clicks',
    // position and kind are what island versions cached in browsers still send; the server ignores them.
    payload: { locale, slug: input.slug, searchId: search.json().searchId, position: 1, kind: 'result' },
    cookies: browser.cookies,
    remoteAddress: browser.remoteAddress,
  });
  return { search, click };
}
