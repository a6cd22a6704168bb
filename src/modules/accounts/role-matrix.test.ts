import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { can, ROLES, type Role } from '../../shared/permissions.js';
import { tokenFor } from './accounts.test-support.js';

/**
 * /api routes anyone may call: the public site's reads and readers' own writes, and the routes under /api/auth that
 * authenticate themselves. Every other /api route must be an operator route with a permission.
 */
const PUBLIC_API_ROUTES = [
  'GET /api/health',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'GET /api/auth/me',
  'PATCH /api/auth/me',
  'GET /api/articles',
  'GET /api/articles/:slug',
  'GET /api/topics',
  'GET /api/search',
  'GET /api/search/suggest',
  'POST /api/search/clicks',
  'POST /api/search/contacts',
  'POST /api/feedback/votes',
  'GET /api/articles/:slug/vote',
  'GET /api/forms/:key/suggestions',
  'POST /api/forms/:key/deflections',
  'POST /api/forms/:key/predict',
  'GET /api/forms/challenge',
  'POST /api/forms/:key/submissions',
];

/** A plausible value for each path parameter: "allowed" may then be a 200, a 400 or a 404, never a 401/403. */
const PARAM_VALUES: Record<string, string> = {
  slug: 'no-such-thing',
  // One of the translator's locales, so the matrix tests the permission (the locale rule has its own test below).
  locale: 'ar',
  // Not 1: DELETE /api/tokens/1 would revoke the first role's own token midway.
  id: '999999',
  itemId: '999999',
  version: '1',
  kind: 'ticket',
  name: 'No Such Event',
  category: 'no-such-category',
  code: 'xx',
  key: 'no-such-key',
  number: '1',
  attachmentId: '999999',
};

function fill(url: string): string {
  return url.replace(/:([A-Za-z]+)/g, (_match, name: string) => PARAM_VALUES[name] ?? 'x');
}

describe('the role matrix', () => {
  let t: TestApp;
  const tokens = new Map<Role, { authorization: string }>();
  beforeAll(async () => {
    t = await createTestApp({ env: { ANSWERLOOP_JOBS: 'false' } });
    for (const role of ROLES) {
      tokens.set(role, (await tokenFor(t, role, role === 'translator' ? { locales: ['ar', 'he'] } : {})).headers);
    }
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it('answers 403 on every operator route exactly when the role lacks its permission', async () => {
    expect(t.operatorRoutes.length).toBeGreaterThan(60);
    const wrong: string[] = [];
    for (const route of t.operatorRoutes) {
      for (const role of ROLES) {
        const hasBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
        const response = await t.app.inject({
          method: route.method as 'GET',
          url: fill(route.url),
          headers: tokens.get(role),
          ...(hasBody ? { payload: {} } : {}),
        });
        const allowed = can(role, route.permission);
        const ok = allowed
          ? response.statusCode !== 401 && response.statusCode !== 403
          : response.statusCode === 403 && response.json().error.code === 'FORBIDDEN';
        if (!ok) wrong.push(`${role} ${route.method} ${route.url} (${route.permission}) → ${response.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 300_000);

  it('answers 401 on every operator route without credentials', async () => {
    const wrong: string[] = [];
    for (const route of t.operatorRoutes) {
      const response = await t.app.inject({ method: route.method as 'GET', url: fill(route.url) });
      if (response.statusCode !== 401) wrong.push(`${route.method} ${route.url} → ${response.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });

  it('guards every /api route but the listed public ones (a forgotten guard fails here)', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operator = new Set(t.operatorRoutes.map((r) => `${r.method} ${r.url}`));
    const unguarded: string[] = [];
    for (const [path, methods] of Object.entries(spec.paths)) {
      const url = path.replace(/\{([^}]+)\}/g, ':$1');
      if (!url.startsWith('/api/')) continue;
      for (const method of Object.keys(methods)) {
        const key = `${method.toUpperCase()} ${url}`;
        if (!operator.has(key)) unguarded.push(key);
      }
    }
    expect(unguarded.sort()).toEqual([...PUBLIC_API_ROUTES].sort());
  });

  it('lets a translator save articles in their locales only', async () => {
    const headers = tokens.get('translator');
    const save = (locale: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/articles',
        headers,
        payload: { slug: 'reset-password', topic: 'account', locale, title: 'x', body: 'x' },
      });
    const ar = await save('ar');
    expect([401, 403]).not.toContain(ar.statusCode);
    const es = await save('es');
    expect(es.statusCode).toBe(403);
    expect(es.json().error.message).toContain('ar, he');
  });
});
