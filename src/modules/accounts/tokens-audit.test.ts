import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { createTestUser, signIn, tokenFor } from './accounts.test-support.js';

describe('personal API tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows the secret once, stores only its hash, lists name and prefix, and carries the user’s role', async () => {
    const { user, headers, secret } = await tokenFor(t, 'editor');
    expect(secret).toMatch(/^al_pat_[A-Za-z0-9_-]{43}$/);
    const stored = await sql<{ row: string }>`SELECT row_to_json(api_tokens)::text AS row FROM api_tokens`.execute(
      t.database.db,
    );
    const dump = stored.rows.map((r) => r.row).join('\n');
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(secret.slice(7));

    const list = await t.app.inject({ method: 'GET', url: '/api/tokens', headers });
    expect(list.statusCode).toBe(200);
    const [token] = list.json().tokens;
    expect(token).toMatchObject({
      name: 'editor test token',
      prefix: secret.slice(0, 12),
      revokedAt: null,
      expiresAt: null,
    });
    expect(JSON.stringify(list.json())).not.toContain(secret);
    expect(token.lastUsedAt).not.toBeNull();

    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers });
    expect(me.json().user.id).toBe(user.id);
    expect((await t.app.inject({ method: 'GET', url: '/api/users', headers })).statusCode).toBe(403);
  });

  it('gives a viewer’s token 403 on a write, and needs no CSRF token', async () => {
    const { headers } = await tokenFor(t, 'viewer');
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/articles',
      headers,
      payload: { slug: 'x', locale: 'en', title: 'x', body: 'x', topic: 'x' },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.code).toBe('FORBIDDEN');
  });

  it('answers 401 once revoked, expired, or its user deactivated', async () => {
    const one = await tokenFor(t, 'analyst');
    const id = (await t.app.inject({ method: 'GET', url: '/api/tokens', headers: one.headers })).json().tokens[0].id;
    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: one.headers });
    expect(revoked.json()).toEqual({ revoked: true });
    expect((await t.app.inject({ method: 'GET', url: '/api/tokens', headers: one.headers })).statusCode).toBe(401);

    const two = await tokenFor(t, 'analyst');
    await t.database.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', two.user.id)
      .execute();
    expect((await t.app.inject({ method: 'GET', url: '/api/tokens', headers: two.headers })).statusCode).toBe(401);

    const three = await tokenFor(t, 'agent');
    await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${three.user.id}`,
      headers: t.operator,
      payload: { active: false },
    });
    expect((await t.app.inject({ method: 'GET', url: '/api/tokens', headers: three.headers })).statusCode).toBe(401);
    const row = await t.database.db
      .selectFrom('api_tokens')
      .select('revoked_at')
      .where('user_id', '=', three.user.id)
      .executeTakeFirstOrThrow();
    expect(row.revoked_at).not.toBeNull();
    await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${three.user.id}`,
      headers: t.operator,
      payload: { active: true },
    });
    expect((await t.app.inject({ method: 'GET', url: '/api/tokens', headers: three.headers })).statusCode).toBe(401);
  });

  it('refuses another user’s token id with 404, and an unknown token with 401', async () => {
    const mine = await tokenFor(t, 'viewer');
    const theirs = await tokenFor(t, 'viewer');
    const theirId = (await t.app.inject({ method: 'GET', url: '/api/tokens', headers: theirs.headers })).json()
      .tokens[0].id;
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/tokens/${theirId}`, headers: mine.headers })).statusCode,
    ).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/tokens',
          headers: { authorization: `Bearer al_pat_${'x'.repeat(43)}` },
        })
      ).statusCode,
    ).toBe(401);
  });
});

describe('users', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('generates a password when none is given, shown once, and refuses a taken email whatever its case', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: t.operator,
      payload: {
        email: 'Tomas@Example.com',
        name: 'Tomás',
        role: 'translator',
        locale: 'es',
        locales: ['es', 'pt-BR'],
      },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body.user).toMatchObject({
      email: 'tomas@example.com',
      role: 'translator',
      locales: ['es', 'pt-BR'],
      lastSeenAt: null,
    });
    expect(body.password).toMatch(/^[A-Za-z0-9_-]{18}$/);
    await signIn(t, 'tomas@example.com', body.password);
    const list = await t.app.inject({ method: 'GET', url: '/api/users', headers: t.operator });
    expect(JSON.stringify(list.json())).not.toContain(body.password);
    expect(JSON.stringify(list.json())).not.toContain('scrypt');

    const again = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: t.operator,
      payload: { email: 'TOMAS@example.com', name: 'Other', role: 'viewer', locale: 'en' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('EMAIL_TAKEN');
  });

  it('refuses bad input with 400 and named fields', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: t.operator,
      payload: { email: 'not an email', name: '', role: 'owner', locale: 'fr', password: 'short' },
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.email', 'body.name', 'body.role', 'body.locale', 'body.password']),
    );
    expect(await t.database.db.selectFrom('users').select('id').where('name', '=', '').execute()).toEqual([]);
  });

  it('keeps one active admin: the last cannot be demoted or deactivated, and nobody deactivates themselves', async () => {
    const admin = await createTestUser(t, { role: 'admin' });
    const session = await signIn(t, admin.email);
    const self = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${admin.id}`,
      headers: session.write,
      payload: { active: false },
    });
    expect(self.statusCode).toBe(409);
    expect(self.json().error.code).toBe('CANNOT_DEACTIVATE_SELF');
    const demote = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${admin.id}`,
      headers: t.operator,
      payload: { role: 'editor' },
    });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.code).toBe('LAST_ADMIN');
    const deactivate = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${admin.id}`,
      headers: t.operator,
      payload: { active: false },
    });
    expect(deactivate.json().error.code).toBe('LAST_ADMIN');
    const second = await createTestUser(t, { role: 'admin' });
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `/api/users/${admin.id}`,
          headers: t.operator,
          payload: { role: 'editor' },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `/api/users/${second.id}`,
          headers: t.operator,
          payload: { active: false },
        })
      ).statusCode,
    ).toBe(409);
  });
});

describe('the audit log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const audit = async (query: string) => {
    const response = await t.app.inject({ method: 'GET', url: `/api/audit?${query}`, headers: t.operator });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as {
      entries: {
        id: string;
        action: string;
        actor: { label: string; via: string; userId: number | null };
        object: { type: string; id: string };
        changes: Record<string, { before: unknown; after: unknown }>;
      }[];
      nextBefore: string | null;
    };
  };

  it('records each kind of write with who, what and the fields that changed', async () => {
    const user = await createTestUser(t, { role: 'editor', email: 'audited@example.com' });
    const session = await signIn(t, user.email);
    await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      headers: t.operator,
      payload: { name: 'Audited Person', password: 'another long password' },
    });
    const again = await signIn(t, user.email, 'another long password');
    const token = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: again.write,
      payload: { name: 'ci' },
    });
    const tokenId = token.json().token.id;
    await t.app.inject({ method: 'DELETE', url: `/api/tokens/${tokenId}`, headers: again.write });
    await t.app.inject({ method: 'PUT', url: '/api/settings', headers: again.write, payload: { sessionIdleHours: 8 } });
    await t.app.inject({
      method: 'PUT',
      url: '/api/settings',
      headers: t.operator,
      payload: { sessionIdleHours: 8, supportEmail: 'help@example.com' },
    });
    await t.app.inject({
      method: 'PUT',
      url: '/api/topics/billing',
      headers: again.write,
      payload: { slug: 'billing', names: { en: 'Billing' } },
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/search/synonyms',
      headers: again.write,
      payload: { locale: 'en', terms: ['refund', 'money back'] },
    });
    await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: again.write });
    expect(session).toBeDefined();

    const { entries } = await audit('limit=200');
    const find = (action: string) => entries.filter((e) => e.action === action);
    expect(find('user.create')[0]?.changes).toMatchObject({
      email: { before: null, after: 'audited@example.com' },
      role: { after: 'editor' },
    });
    const update = find('user.update')[0];
    expect(update?.changes).toEqual({
      name: { before: 'Test editor', after: 'Audited Person' },
      password: { before: '(redacted)', after: '(redacted)' },
    });
    expect(update?.actor).toEqual({ userId: null, label: 'bootstrap token', via: 'bootstrap' });
    expect(find('session.create').length).toBeGreaterThanOrEqual(2);
    expect(find('session.create')[0]?.actor).toMatchObject({
      userId: user.id,
      label: 'audited@example.com',
      via: 'session',
    });
    expect(find('session.revoke').map((e) => e.changes.reason?.after)).toEqual(
      expect.arrayContaining(['password changed', 'signed out']),
    );
    expect(find('token.create')[0]).toMatchObject({
      object: { type: 'token', id: String(tokenId) },
      changes: { name: { after: 'ci' } },
    });
    expect(find('token.revoke')[0]?.changes).toEqual({ revoked: { before: false, after: true } });
    // The editor may not change settings: only the admin's change is recorded, with before and after.
    expect(find('settings.update')).toHaveLength(1);
    expect(find('settings.update')[0]?.changes).toEqual({
      sessionIdleHours: { before: 12, after: 8 },
      supportEmail: { before: 'support@pinwheel.example', after: 'help@example.com' },
    });
    // The content module records its own writes, with the fields that changed.
    expect(find('topic.save')[0]).toMatchObject({
      actor: { userId: user.id, via: 'session' },
      object: { type: 'topic', id: 'billing' },
    });
    // A write no operation audits itself is recorded by the fallback, with what the caller sent.
    const synonyms = entries.find((e) => e.action === 'POST /api/search/synonyms');
    expect(synonyms).toMatchObject({
      actor: { userId: user.id, via: 'session' },
      object: { type: 'search' },
      changes: { terms: { before: null, after: ['refund', 'money back'] } },
    });
    expect(JSON.stringify(entries)).not.toContain('another long password');
  });

  it('refuses to change or delete an entry, even from SQL', async () => {
    await expect(sql`UPDATE audit_log SET action = 'forged'`.execute(t.database.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(t.database.db)).rejects.toThrow(/append-only/);
  });

  it('filters by action prefix, actor, object type and time, and pages by id', async () => {
    for (let i = 0; i < 3; i++) {
      await t.app.inject({
        method: 'PUT',
        url: '/api/settings',
        headers: t.operator,
        payload: { helpCenterName: `Help ${i}` },
      });
    }
    expect((await audit('action=settings.')).entries.every((e) => e.action.startsWith('settings.'))).toBe(true);
    expect((await audit('action=user.')).entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['user.create', 'user.update']),
    );
    const byEmail = await audit('actor=audited%40example');
    expect(byEmail.entries.length).toBeGreaterThan(0);
    expect(byEmail.entries.every((e) => e.actor.label === 'audited@example.com')).toBe(true);
    const userId = byEmail.entries[0]?.actor.userId;
    expect((await audit(`actor=${userId}`)).entries.every((e) => e.actor.userId === userId)).toBe(true);
    expect((await audit('objectType=token')).entries.every((e) => e.object.type === 'token')).toBe(true);
    expect((await audit(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).entries).toEqual(
      [],
    );
    expect((await audit(`to=${encodeURIComponent('2000-01-01T00:00:00Z')}`)).entries).toEqual([]);

    const all = (await audit('limit=200')).entries.map((e) => e.id);
    const first = await audit('limit=2');
    expect(first.entries.map((e) => e.id)).toEqual(all.slice(0, 2));
    const second = await audit(`limit=2&before=${first.nextBefore}`);
    expect(second.entries.map((e) => e.id)).toEqual(all.slice(2, 4));
    expect((await t.app.inject({ method: 'GET', url: '/api/audit?limit=500', headers: t.operator })).statusCode).toBe(
      400,
    );
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/audit?from=yesterday', headers: t.operator })).statusCode,
    ).toBe(400);
  });
});
