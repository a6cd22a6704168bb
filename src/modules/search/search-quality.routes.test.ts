import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedContent } from '../../cli/seed/seed-content.js';
import { createTestApp, type TestApp } from '../../server/test-app.js';

// The demo help center, as readers meet it: the audit's content gaps ("dark mode", "pinwheel for windows") are real
// searches against it.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ prepare: async ({ db }) => void (await seedContent(db)) });
});

afterAll(async () => {
  await t.close();
});

describe('weak results: relevance floor, "did you mean", contact link, gaps recorded (HTTP)', () => {
  interface Hit {
    slug: string;
    relevance: number;
    weak: boolean;
  }
  const search = async (q: string, limit = 30) => {
    const res = await t.app.inject({ url: `/api/search?locale=en&limit=${limit}&q=${encodeURIComponent(q)}` });
    expect(res.statusCode).toBe(200);
    return res.json() as { total: number; strong: number; weak: boolean; didYouMean: string | null; hits: Hit[] };
  };
  const listed = (html: string) =>
    [...html.matchAll(/<li[^>]*>\s*<h2><a href="\/en\/articles\/([^"]+)"/g)].map((m) => m[1]);

  it('labels "dark mode" a content gap: no "did you mean: mark mode", every hit a partial match', async () => {
    const body = await search('dark mode');
    expect(body.didYouMean).toBeNull();
    expect(body.total).toBeGreaterThan(0);
    expect(body.weak).toBe(true);
    expect(body.strong).toBe(0);
    expect(body.hits.every((h) => h.weak)).toBe(true);
  });

  it('shows weak results as partial matches with the contact link, and records the search as a gap', async () => {
    const res = await t.app.inject({ url: '/en/search?q=dark+mode' });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('data-did-you-mean');
    expect(res.body).toContain('No article clearly answers “dark mode”.');
    expect(res.body).toMatch(/data-weak-results[^>]*>[\s\S]*?<a href="\/en\/contact">/);
    const shown = listed(res.body);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThanOrEqual(3);
    expect(res.body.match(/class="partial-match"/g)?.length).toBe(shown.length);
    const insights = await t.app.inject({ url: '/api/search/insights?locale=en', headers: t.operator });
    const gaps = insights.json() as { totals: { weakResults: number }; weakResults: { query: string }[] };
    expect(gaps.weakResults.map((r) => r.query)).toContain('dark mode');
    expect(gaps.totals.weakResults).toBeGreaterThanOrEqual(1);
  });

  it('drops the weak tail: "pinwheel for windows" no longer lists every article naming the brand', async () => {
    const body = await search('pinwheel for windows');
    expect(body.total).toBeGreaterThanOrEqual(20);
    const weak = body.hits.filter((h) => h.weak).length;
    expect(weak).toBeGreaterThanOrEqual(body.total - 2);
    const page = await t.app.inject({ url: '/en/search?q=pinwheel+for+windows' });
    const shown = listed(page.body);
    // The articles that answer, then at most three partial matches, each labelled.
    expect(shown.length).toBeLessThanOrEqual(body.strong + 3);
    expect(shown.length).toBeLessThan(body.hits.length);
    expect(page.body.match(/class="partial-match"/g)?.length).toBe(shown.length - body.strong);
  });

  it('keeps real answers strong, counted, without the gap notice', async () => {
    for (const q of ['reset password', 'how do i delete my account', 'create a board']) {
      const body = await search(q, 10);
      expect(body.weak).toBe(false);
      expect(body.hits[0]?.weak).toBe(false);
      expect(body.hits[0]?.relevance).toBeGreaterThan(0.5);
    }
    const page = await t.app.inject({ url: '/en/search?q=reset+password' });
    expect(page.body).not.toContain('data-weak-results');
    expect(listed(page.body)[0]).toBe('reset-password');
    const misspelt = await search('pasword rset', 10);
    expect(misspelt.didYouMean).toBe('password reset');
    expect(misspelt.weak).toBe(false);
  });
});

describe('typeahead suggestions while typing (HTTP)', () => {
  const suggest = async (locale: string, q: string) => {
    const res = await t.app.inject({ url: `/api/search/suggest?locale=${locale}&q=${encodeURIComponent(q)}` });
    expect(res.statusCode).toBe(200);
    return res.json() as { queries: { text: string }[]; articles: { slug: string }[] };
  };

  it('finds a prefix with a typo ("paswor")', async () => {
    const out = await suggest('en', 'paswor');
    expect(out.queries.length).toBeGreaterThan(0);
    expect(out.articles[0]?.slug).toBe('reset-password');
  });

  it('keeps suggesting while a new word starts ("как у")', async () => {
    const out = await suggest('ru', 'как у');
    expect(out.queries.map((q) => q.text).some((text) => /удалить/i.test(text))).toBe(true);
  });

  it('suggests deleting the account, not editing a Pin, for "how do i delete my account"', async () => {
    const out = await suggest('en', 'how do i delete my account');
    expect(out.queries[0]?.text).toMatch(/account/i);
    expect(out.articles[0]?.slug).toBe('delete-account');
    expect(out.articles.map((a) => a.slug)).not.toContain('edit-or-delete-a-pin');
  });
});
