import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildArticle, buildRegions } from '../modules/content/content.factories.js';
import { formatPrice } from '../modules/content/index.js';
import { toErrorBody } from './error-handler.js';
import { serializeRequest } from './logging.js';
import { createTestApp, type TestApp } from './test-app.js';

const PUBLIC_URL = 'https://help.example.com';
const CLIENT = '203.0.113.9';

/** Every log line the app writes, parsed. */
class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  text(): string {
    return this.lines.join('\n');
  }
  levels(minimum: number): string[] {
    return this.lines.filter((line) => (JSON.parse(line) as { level: number }).level >= minimum);
  }
}

/** The API routes anyone may call; every other /api route is the operator's. */
const PUBLIC_ROUTES = new Set([
  'GET /api/health',
  'GET /api/articles',
  'GET /api/articles/{slug}',
  'GET /api/topics',
  'GET /api/search',
  'GET /api/search/suggest',
  'POST /api/search/clicks',
  'POST /api/search/contacts',
  'POST /api/feedback/votes',
  // The reader's own vote, for the vote island (from their reader cookie; never cached).
  'GET /api/articles/{slug}/vote',
  // Signing in and out take no credentials (me and PATCH me authenticate themselves before the body: 401).
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'GET /api/forms/{key}/suggestions',
  'POST /api/forms/{key}/deflections',
  'POST /api/forms/{key}/predict',
  'GET /api/forms/challenge',
  'POST /api/forms/{key}/submissions',
]);

describe('the server edge', () => {
  let t: TestApp;
  const log = new LogCapture();

  beforeAll(async () => {
    t = await createTestApp({
      env: { ANSWERLOOP_JOBS: 'false', ANSWERLOOP_PUBLIC_URL: PUBLIC_URL, LOG_LEVEL: 'info' },
      logStream: log,
      prepare: async ({ db }) => {
        await buildRegions(db, { prices: { plan: { USD: 4.99 } } });
        await buildArticle(db, { slug: 'reset-password', title: 'Reset your password' });
        await buildArticle(db, {
          slug: 'plans',
          locale: 'es',
          body:
            'Precio: {{price:plan}} al mes.\n\n' +
            'Lee [las condiciones](/es/articles/reset-password "cuesta {{price:plan}}").\n\n' +
            '![Plan de {{price:plan}}](/assets/plan.png)\n\n' +
            '![Logo](https://cdn.example.net/logo.png)\n',
        });
      },
    });
  });
  afterAll(async () => {
    // The last test closes the database to see /api/health fail; shutting down may then complain.
    await t.shutdown().catch(() => {});
    await t.database.close().catch(() => {});
  });

  const count = async (table: 'search_queries' | 'article_votes' | 'search_clicks') =>
    Number(
      (
        await t.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  describe('finding 4: CORS belongs to the collector; the rest of /api refuses cross-origin writes', () => {
    it('answers a preflight on /api without any CORS allowance, and still one on /v1', async () => {
      const preflight = (url: string) =>
        t.app.inject({
          method: 'OPTIONS',
          url,
          headers: {
            origin: 'https://evil.example',
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization, content-type',
          },
        });
      for (const url of ['/api/tickets', '/api/search/clicks', '/api/feedback/votes', '/en/articles/reset-password']) {
        const res = await preflight(url);
        expect(res.statusCode, url).toBe(404);
        expect(res.headers['access-control-allow-origin'], url).toBeUndefined();
        expect(res.headers['access-control-allow-headers'], url).toBeUndefined();
      }
      const collector = await preflight('/v1/track');
      expect(collector.statusCode).toBe(204);
      expect(collector.headers['access-control-allow-origin']).toBe('*');
    });

    it('refuses state-changing /api requests from another site, Origin: null included, with 403', async () => {
      const before = await count('search_queries');
      const click = { locale: 'en', slug: 'reset-password', position: 1, kind: 'result', query: 'reset' };
      const foreign: Record<string, string>[] = [
        { origin: 'https://evil.example' },
        { origin: 'null' },
        { origin: 'http://help.example.com.evil.example' },
        { 'sec-fetch-site': 'cross-site', origin: PUBLIC_URL },
        { 'sec-fetch-site': 'same-site' },
      ];
      for (const headers of foreign) {
        for (const [url, payload] of [
          ['/api/search/clicks', click],
          ['/api/feedback/votes', { article: 'reset-password', locale: 'en', helpful: true }],
        ] as const) {
          const res = await t.app.inject({ method: 'POST', url, headers, payload });
          expect(res.statusCode, `${url} ${JSON.stringify(headers)}`).toBe(403);
          expect(res.json().error.code).toBe('CROSS_ORIGIN_REFUSED');
        }
      }
      // An operator's bearer token does not make a cross-site page's request acceptable either.
      const operator = await t.app.inject({
        method: 'POST',
        url: '/api/tickets',
        headers: { ...t.operator, origin: 'https://evil.example' },
        payload: { subject: 'planted' },
      });
      expect(operator.statusCode).toBe(403);
      expect(await count('search_queries')).toBe(before);
    });

    it('accepts writes from the help center itself and from clients that are not browsers', async () => {
      for (const headers of [
        { origin: PUBLIC_URL },
        { origin: 'http://localhost:80' },
        { 'sec-fetch-site': 'same-origin', origin: 'null' },
        {},
      ]) {
        // A click names a search the server ran and one of the articles it returned.
        const search = await t.app.inject({ url: '/api/search?q=reset%20password&locale=en' });
        expect(search.json().hits.map((h: { slug: string }) => h.slug)).toContain('reset-password');
        const click = { locale: 'en', slug: 'reset-password', searchId: search.json().searchId };
        const cookies = Object.fromEntries(search.cookies.map((c) => [c.name, c.value]));
        const res = await t.app.inject({ method: 'POST', url: '/api/search/clicks', headers, cookies, payload: click });
        expect(res.statusCode, `${JSON.stringify(headers)} ${res.body}`).toBe(200);
      }
      const ticket = await t.app.inject({
        method: 'POST',
        url: '/api/tickets',
        headers: t.operator,
        payload: { subject: 'from a help desk sync' },
      });
      expect(ticket.statusCode).toBe(201);
    });
  });

  describe('finding 7: NUL, unpaired surrogates and numbers past int4 are refused at the edge', () => {
    it('answers 400 INVALID_TEXT on public pages and endpoints, storing nothing', async () => {
      const searches = await count('search_queries');
      const votes = await count('article_votes');
      const cases: { method: 'GET' | 'POST'; url: string; payload?: object | string; path: string }[] = [
        { method: 'GET', url: '/en/articles/%00', path: 'params.slug' },
        { method: 'GET', url: '/en/search?q=%00', path: 'query.q' },
        { method: 'GET', url: '/api/search?q=a%00b', path: 'query.q' },
        { method: 'GET', url: '/api/search/suggest?q=%00', path: 'query.q' },
        {
          method: 'POST',
          url: '/api/feedback/votes',
          payload: { article: 'reset-password', locale: 'en', helpful: false, comment: 'bad\u0000text' },
          path: 'body.comment',
        },
        {
          method: 'POST',
          url: '/api/feedback/votes',
          payload: { article: 'reset-password', locale: 'en', helpful: false, comment: 'lone \ud800 surrogate' },
          path: 'body.comment',
        },
        {
          method: 'POST',
          url: '/api/search/clicks',
          payload: { locale: 'en', slug: 'reset-password', position: 1, kind: 'result', query: 'x\udc00' },
          path: 'body.query',
        },
        {
          method: 'POST',
          url: '/en/articles/reset-password/vote',
          payload: 'helpful=no&comment=a%00b',
          path: 'body.comment',
        },
      ];
      for (const c of cases) {
        const res = await t.app.inject({
          method: c.method,
          url: c.url,
          ...(c.payload === undefined ? {} : { payload: c.payload }),
          ...(typeof c.payload === 'string'
            ? { headers: { 'content-type': 'application/x-www-form-urlencoded' } }
            : {}),
        });
        expect(res.statusCode, c.url).toBe(400);
        expect(res.json().error, c.url).toMatchObject({ code: 'INVALID_TEXT', details: [{ path: c.path }] });
        expect(res.json().error.message, c.url).toContain('NUL');
      }
      expect(await count('search_queries')).toBe(searches);
      expect(await count('article_votes')).toBe(votes);
    });

    it('refuses such text in operator writes and in object keys, and a nested body cannot overflow the check', async () => {
      const article = await t.app.inject({
        method: 'POST',
        url: '/api/articles',
        headers: t.operator,
        payload: { slug: 'x', topic: 'y', locale: 'en', title: 'T', body: 'b', keywords: ['ok', 'k\u0000'] },
      });
      expect(article.statusCode).toBe(400);
      expect(article.json().error).toMatchObject({ code: 'INVALID_TEXT', details: [{ path: 'body.keywords.1' }] });
      const key = await t.app.inject({
        method: 'POST',
        url: '/api/tickets',
        headers: t.operator,
        payload: { subject: 's', 'x\u0000': 1 },
      });
      expect(key.json().error.code).toBe('INVALID_TEXT');
      const deep = `${'['.repeat(50_000)}"\\u0000"${']'.repeat(50_000)}`;
      const nested = await t.app.inject({
        method: 'POST',
        url: '/api/search/clicks',
        headers: { 'content-type': 'application/json' },
        payload: deep,
      });
      expect(nested.statusCode).toBe(400);
    });

    it('answers 400 for integers past int4 in the body and in the path, not 500', async () => {
      const publish = await t.app.inject({
        method: 'POST',
        url: '/api/articles/reset-password/translations/en/publish',
        headers: t.operator,
        payload: { revision: 2_147_483_648 },
      });
      expect(publish.statusCode).toBe(400);
      expect(publish.json().error.details[0].path).toBe('body.revision');
      for (const [method, url, payload] of [
        ['PUT', '/api/search/synonyms/2147483648', { locale: 'en', terms: ['a', 'b'] }],
        ['DELETE', '/api/search/synonyms/99999999999', undefined],
        ['GET', '/api/events/plan/versions/2147483648', undefined],
        ['POST', '/api/events/write-keys/revoke', { id: 2_147_483_648 }],
      ] as const) {
        const res = await t.app.inject({
          method,
          url,
          headers: t.operator,
          ...(payload === undefined ? {} : { payload }),
        });
        expect(res.statusCode, url).toBe(400);
      }
      const vote = await t.app.inject({
        method: 'POST',
        url: '/api/feedback/votes',
        payload: { article: 'reset-password', locale: 'en', helpful: true, revision: 2_147_483_648 },
      });
      expect(vote.statusCode).toBe(400);
    });

    it('turns a database refusal caused by input into a 400 (the net under every schema)', async () => {
      const refused = await sql`SELECT ${'2147483648'}::int4`.execute(t.database.db).catch((e: unknown) => e);
      expect(toErrorBody(refused)).toMatchObject({ status: 400, body: { error: { code: 'INVALID_VALUE' } } });
      const text = await sql`SELECT ${'not a number'}::int4`.execute(t.database.db).catch((e: unknown) => e);
      expect(toErrorBody(text)).toMatchObject({ status: 400, body: { error: { code: 'INVALID_VALUE' } } });
    });

    it('logs a database error with its SQLSTATE only: never the refused value, the statement or its parameters', async () => {
      const secret = 'reader-typed-secret@example.com';
      const error = await sql`SELECT ${secret}::int4 AS n`.execute(t.database.db).catch((e: unknown) => e);
      expect(String((error as Error).message)).toContain(secret);
      t.app.log.error({ err: error }, 'request failed');
      const line = log.lines.at(-1)!;
      expect(line).toContain('22P02');
      expect(line).not.toContain(secret);
      expect(line).not.toContain('SELECT');
    });
  });

  describe('finding 8: the request log keeps networks and paths, not addresses and what readers typed', () => {
    it('logs the client as its /24 and the path without the query string', async () => {
      log.lines.length = 0;
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/search?q=ana.silva%40example.com&locale=en',
        remoteAddress: CLIENT,
      });
      expect(res.statusCode).toBe(200);
      await t.app.inject({ method: 'GET', url: '/en/search?q=my+card+4111111111111111', remoteAddress: CLIENT });
      const text = log.text();
      expect(log.lines.length).toBeGreaterThan(0);
      expect(text).toContain('"url":"/api/search"');
      expect(text).toContain('203.0.113.0/24');
      expect(text).not.toContain(CLIENT);
      expect(text).not.toContain('ana.silva');
      expect(text).not.toContain('4111111111111111');
      expect(text).not.toContain('q=');
      // Nothing a reader sent reached error level either.
      expect(log.levels(50)).toEqual([]);
    });

    it('logs full URLs only when ANSWERLOOP_LOG_FULL_URLS asks for them', async () => {
      const request = { method: 'GET', url: '/api/search?q=x', ip: '2001:db8:1:2:3:4:5:6' };
      const asRequest = request as unknown as Parameters<typeof serializeRequest>[0];
      expect(serializeRequest(asRequest, false)).toEqual({
        method: 'GET',
        url: '/api/search',
        client: '2001:0db8:0001:0002::/64',
      });
      expect(serializeRequest(asRequest, true)).toMatchObject({ url: '/api/search?q=x' });
    });
  });

  describe('finding 9: the smaller ones', () => {
    it('authenticates every operator route before reading its body: 401, never field details', async () => {
      const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
        paths: Record<string, Record<string, unknown>>;
      };
      const seen: string[] = [];
      const open: string[] = [];
      for (const [path, methods] of Object.entries(spec.paths)) {
        if (!path.startsWith('/api/')) continue;
        for (const method of Object.keys(methods).map((m) => m.toUpperCase())) {
          if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
          const route = `${method} ${path}`;
          seen.push(route);
          if (PUBLIC_ROUTES.has(route)) continue;
          const url = `${path.replace(/\{[^}]+\}/g, 'not-a-number')}?limit=abc&days=-1`;
          const res = await t.app.inject({
            method: method as 'GET',
            url,
            ...(method === 'GET' || method === 'DELETE' ? {} : { payload: { bogus: ['wrong', 'shape'] } }),
          });
          if (res.statusCode !== 401 || res.json().error.details !== undefined)
            open.push(`${route} → ${res.statusCode}`);
        }
      }
      expect(open).toEqual([]);
      // The table covered the operator API (and the public routes are exactly the ones listed).
      expect(seen.length).toBeGreaterThan(40);
      expect(seen.filter((route) => PUBLIC_ROUTES.has(route)).sort()).toEqual([...PUBLIC_ROUTES].sort());
      // With the token, validation still answers as before.
      const invalid = await t.app.inject({
        method: 'POST',
        url: '/api/tickets',
        headers: t.operator,
        payload: { bogus: true },
      });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json().error.code).toBe('VALIDATION_FAILED');
    });

    it('sends a Permissions-Policy denying powerful features on pages and API answers', async () => {
      for (const url of ['/en/articles/reset-password', '/api/health', '/api/nothing-here']) {
        const res = await t.app.inject({ method: 'GET', url });
        const policy = String(res.headers['permissions-policy']);
        for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'interest-cohort']) {
          expect(policy, url).toContain(`${feature}=()`);
        }
      }
    });

    it('keeps images the CSP would block out of articles: a third-party image becomes a link', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/es/articles/plans' });
      expect(res.statusCode).toBe(200);
      const csp = String(res.headers['content-security-policy']);
      const imgSrc = /img-src ([^;]+)/.exec(csp)![1]!.split(' ');
      expect(imgSrc).not.toContain('https:');
      const sources = [...res.body.matchAll(/<img\b[^>]*\bsrc="([^"]*)"/g)].map((m) => m[1]!);
      expect(sources).toContain('/assets/plan.png');
      for (const src of sources) {
        // What 'self' and data: allow: a path on this server or a data: URL, never another host.
        expect(/^(data:|\/(?!\/)|[^:/]+(\/|$))/.test(src), src).toBe(true);
      }
      expect(res.body).toContain('<a href="https://cdn.example.net/logo.png" rel="noopener nofollow">Logo</a>');
    });

    it('fills {{price:…}} inside a link title and an image alt with the escaped amount, not markup', async () => {
      const amount = formatPrice(4.99, 'USD', 'es');
      expect(amount).toContain('US$');
      const res = await t.app.inject({ method: 'GET', url: '/es/articles/plans' });
      const html = res.body;
      expect(html).toContain(`title="cuesta ${amount}"`);
      expect(html).toContain(`alt="Plan de ${amount}"`);
      expect(html).toContain(`<span class="price" data-price="plan">${amount}</span>`);
      // No tag ends up inside an attribute value, so the markup stays what the sanitiser produced.
      for (const value of html.matchAll(/\s(?:title|alt)="([^"]*)"/g)) expect(value[1]).not.toMatch(/[<>]/);
      expect(html).not.toContain('{{price');
    });

    it('says only ok or unavailable on /api/health, checking the database with a query', async () => {
      const ok = await t.app.inject({ method: 'GET', url: '/api/health' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ status: 'ok' });
      await t.database.close();
      const down = await t.app.inject({ method: 'GET', url: '/api/health' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({ status: 'unavailable' });
    });
  });
});
