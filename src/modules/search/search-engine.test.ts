import { describe, expect, it } from 'vitest';
import type { IndexableArticle } from './locale-index.js';
import { SearchEngine } from './search-engine.js';

const corpus: IndexableArticle[] = [
  {
    slug: 'reset-password',
    locale: 'en',
    title: 'Reset your password',
    keywords: ['forgot password'],
    headings: ['Reset a forgotten password', 'Change your password when logged in'],
    body: 'If you forgot your password, tap Forgot password on the login screen and follow the link we email you.',
  },
  {
    slug: 'delete-board',
    locale: 'en',
    title: 'Delete a board',
    keywords: [],
    headings: [],
    body: 'Open the board, tap Edit board, then Delete board. Pins on it are deleted too.',
  },
  {
    slug: 'settings',
    locale: 'en',
    title: 'Account settings',
    keywords: [],
    headings: [],
    body: 'Settings let you set your language, set notifications and set a password hint. <b>Bold</b> claims.',
  },
  {
    slug: 'block-user',
    locale: 'en',
    title: 'Block someone',
    keywords: [],
    headings: [],
    body: 'Blocking stops a person from following you or messaging you.',
  },
  {
    slug: 'delete-board',
    locale: 'ru',
    title: 'Как удалить доску',
    keywords: ['удалить доску'],
    headings: [],
    body: 'Откройте доску, нажмите «Изменить доску» и выберите «Удалить доску».',
  },
  {
    slug: 'reset-password',
    locale: 'ar',
    title: 'إعادة تعيين كلمة المرور',
    keywords: ['نسيت كلمة السر'],
    headings: ['تغيير كلمة المرور أثناء تسجيل الدخول'],
    body: 'إذا نسيت كلمة المرور، فيمكنك تعيين كلمة مرور جديدة.',
  },
  {
    slug: 'reset-password',
    locale: 'ja',
    title: 'パスワードをリセットする',
    keywords: ['パスワード忘れた'],
    headings: [],
    body: 'パスワードを忘れた場合は、ログイン画面でリセットできます。',
  },
];

function engine(): SearchEngine {
  const e = new SearchEngine();
  for (const a of corpus) e.upsert(a);
  return e;
}

describe('SearchEngine.search', () => {
  it('tolerates typos by word length and ranks the answer first ("pasword rset")', () => {
    const { hits } = engine().search('en', 'pasword rset', { limit: 3 });
    expect(hits[0]?.slug).toBe('reset-password');
  });

  it('matches the last word as a prefix', () => {
    expect(engine().search('en', 'delete bo', { limit: 3 }).hits[0]?.slug).toBe('delete-board');
  });

  it('gives no typo to short words', () => {
    expect(engine().search('en', 'xin', { limit: 3, prefixLast: false }).hits).toEqual([]);
  });

  it('finds Russian, Arabic and Japanese articles in their own words', () => {
    const e = engine();
    expect(e.search('ru', 'как удалить доску', { limit: 1 }).hits[0]?.slug).toBe('delete-board');
    expect(e.search('ar', 'تغيير كلمة المرور', { limit: 1 }).hits[0]?.slug).toBe('reset-password');
    expect(e.search('ar', 'كلمه المرور', { limit: 1 }).hits[0]?.slug).toBe('reset-password');
    expect(e.search('ja', 'パスワード忘れ', { limit: 1 }).hits[0]?.slug).toBe('reset-password');
  });

  it('keeps locales apart', () => {
    expect(engine().search('ru', 'password', { limit: 5 }).hits).toEqual([]);
  });

  it('highlights matched word forms in an escaped snippet', () => {
    const [hit] = engine().search('en', 'set', { limit: 1, prefixLast: false }).hits;
    expect(hit?.snippetHtml).toContain('<mark>Settings</mark>');
    expect(hit?.snippetHtml).toContain('&lt;b&gt;Bold&lt;/b&gt;');
    expect(hit?.snippetHtml).not.toContain('<b>');
  });

  it('offers "did you mean" for a misspelt query, choosing the combination that finds the best article', () => {
    const e = engine();
    expect(e.search('en', 'pasword rset', { limit: 3 }).didYouMean).toBe('password reset');
    expect(e.search('en', 'reset password', { limit: 3 }).didYouMean).toBeNull();
  });

  it('applies synonyms from editable groups', () => {
    const e = engine();
    expect(e.search('en', 'ban', { limit: 3 }).hits).toEqual([]);
    e.setSynonyms('en', [['ban', 'block']]);
    expect(e.search('en', 'ban', { limit: 3 }).hits[0]?.slug).toBe('block-user');
  });

  it('scores every hit after an article is replaced, before the index is vacuumed', () => {
    const e = engine();
    e.upsert({ ...corpus[4]!, slug: 'other', title: 'Доска', textLocale: 'en' });
    e.upsert({ ...corpus[4]!, slug: 'other', title: 'Доска объявлений' });
    const scores = e.search('ru', 'удалить доску', { limit: 10 }).hits.map((h) => h.score);
    expect(scores.every((s) => Number.isFinite(s))).toBe(true);
  });

  it('forgets a removed article', () => {
    const e = engine();
    expect(e.remove('delete-board', 'en')).toBe(true);
    expect(e.search('en', 'delete board', { limit: 3 }).hits.map((h) => h.slug)).not.toContain('delete-board');
  });
});

describe('SearchEngine.suggest', () => {
  const learned = {
    locale: 'en',
    normalized: 'forgot my password',
    text: 'forgot my password',
    readers: 5,
    weight: 4,
    clicks: [{ slug: 'reset-password', count: 5 }],
  };

  it('suggests popular successful queries, titles and phrases, and the top articles, as the reader types', () => {
    const e = engine();
    e.setSuccessfulQueries([learned]);
    const out = e.suggest('en', 'forg', { limit: 5, articles: 3 });
    expect(out.queries[0]).toEqual({ text: 'forgot my password', kind: 'query' });
    expect(out.queries.map((q) => q.text)).toContain('forgot password');
    expect(out.articles[0]).toMatchObject({ slug: 'reset-password', title: 'Reset your password' });
  });

  it('is typo-tolerant and follows Japanese typing', () => {
    const e = engine();
    expect(e.suggest('en', 'pasword rese', { limit: 5, articles: 3 }).queries[0]?.text).toBe('Reset your password');
    expect(e.suggest('ja', 'パスワ', { limit: 5, articles: 3 }).articles[0]?.slug).toBe('reset-password');
  });

  it('never suggests a query with personal data or a misspelling', () => {
    const e = engine();
    e.setSuccessfulQueries([
      { ...learned, normalized: 'a', text: 'password for jane@example.com' },
      { ...learned, normalized: 'b', text: 'forgot pasword' },
    ]);
    const texts = e.suggest('en', 'pass', { limit: 10, articles: 3 }).queries.map((q) => q.text);
    expect(texts.some((t) => t.includes('@'))).toBe(false);
    expect(texts).not.toContain('forgot pasword');
  });
});

describe('SearchEngine.search: the relevance floor', () => {
  // A help center whose brand name is in every article, and two articles that mention "mark" and "mode" in passing.
  const brand: IndexableArticle[] = [
    {
      slug: 'notifications',
      locale: 'en',
      title: 'Notifications not arriving',
      keywords: [],
      headings: ['Check your phone settings'],
      body:
        'Acme sends a notification when someone follows you. Check that battery saver mode is off, then open Acme ' +
        'settings and turn notifications on. Reinstalling the app can help. If you opened a message on another ' +
        'device, Acme may mark it as read here too.',
    },
    {
      slug: 'group-boards',
      locale: 'en',
      title: 'Group boards',
      keywords: ['invite collaborators'],
      headings: [],
      body: 'Invite people to an Acme board. Collaborators can mark a Pin as done.',
    },
    {
      slug: 'reset-password',
      locale: 'en',
      title: 'Reset your Acme password',
      keywords: ['forgot password'],
      headings: [],
      body: 'Tap Forgot password on the Acme login screen and follow the link we email you.',
    },
    {
      slug: 'delete-account',
      locale: 'en',
      title: 'Delete your Acme account',
      keywords: ['close account'],
      headings: [],
      body: 'Open Acme settings, choose Account, then Delete account. Boards are deleted after 14 days.',
    },
    {
      slug: 'download-app',
      locale: 'en',
      title: 'Get the Acme app',
      keywords: ['install'],
      headings: [],
      body: 'Acme runs in any browser and as an app on Android and iOS phones.',
    },
  ];
  const brandEngine = () => {
    const e = new SearchEngine();
    for (const a of brand) e.upsert(a);
    return e;
  };

  it('flags every hit weak when only a common word matches and the rare one is nowhere ("acme for linux")', () => {
    const out = brandEngine().search('en', 'acme for linux', { limit: 10 });
    expect(out.total).toBe(brand.length);
    expect(out.strong).toBe(0);
    expect(out.weak).toBe(true);
    expect(out.hits.every((h) => h.weak && h.relevance < 0.5)).toBe(true);
  });

  it('keeps an article that answers the whole query strong, above the partial matches', () => {
    const out = brandEngine().search('en', 'delete my acme account', { limit: 10 });
    expect(out.weak).toBe(false);
    expect(out.hits[0]).toMatchObject({ slug: 'delete-account', weak: false });
    expect(out.hits.filter((h) => !h.weak).map((h) => h.slug)).toEqual(['delete-account']);
  });

  it('does not offer "did you mean" when the correction finds no better answer ("dark mode" → "mark mode")', () => {
    const out = brandEngine().search('en', 'dark mode', { limit: 10 });
    expect(out.didYouMean).toBeNull();
    expect(out.weak).toBe(true);
  });

  it('still offers it when the correction finds an article that answers it', () => {
    const out = brandEngine().search('en', 'pasword', { limit: 10, prefixLast: false });
    expect(out.didYouMean).toBe('password');
    expect(out.hits[0]?.slug).toBe('reset-password');
  });

  it('measures relevance against the query, not the corpus: the same floor for one word and for five', () => {
    const e = brandEngine();
    for (const q of ['password', 'reset password', 'how do i reset my acme password']) {
      expect(e.search('en', q, { limit: 3 }).hits[0]).toMatchObject({ slug: 'reset-password', weak: false });
    }
  });
});

describe('SearchEngine.suggest: typing in progress and whole-query intent', () => {
  const more: IndexableArticle[] = [
    {
      slug: 'delete-account',
      locale: 'en',
      title: 'Deactivate or delete your account',
      keywords: ['close account'],
      headings: [],
      body: 'Open Settings, choose Account, then Delete account.',
    },
    {
      slug: 'edit-pin',
      locale: 'en',
      title: 'Edit or delete a Pin',
      keywords: [],
      headings: [],
      body: 'Open the Pin, tap the pencil, then Delete Pin.',
    },
  ];
  const typing = () => {
    const e = engine();
    for (const a of more) e.upsert(a);
    return e;
  };

  it('completes a prefix typed with a typo ("paswor", "pasw")', () => {
    const e = typing();
    for (const q of ['paswor', 'pasw']) {
      const out = e.suggest('en', q, { limit: 5, articles: 3 });
      expect(out.queries.map((s) => s.text)).toContain('Reset your password');
      expect(out.articles[0]?.slug).toBe('reset-password');
    }
  });

  it('stays open while a new word starts ("как у", "how do i delete my")', () => {
    const e = typing();
    expect(e.suggest('ru', 'как у', { limit: 5, articles: 3 }).queries.map((s) => s.text)).toContain(
      'Как удалить доску',
    );
    expect(e.suggest('en', 'how do i delete my', { limit: 5, articles: 3 }).queries.length).toBeGreaterThan(0);
  });

  it('ranks the whole question over one of its words ("how do i delete my account")', () => {
    const out = typing().suggest('en', 'how do i delete my account', { limit: 5, articles: 5 });
    expect(out.queries[0]?.text).toMatch(/account/i);
    expect(out.articles.map((a) => a.slug)).toEqual(['delete-account']);
  });
});
