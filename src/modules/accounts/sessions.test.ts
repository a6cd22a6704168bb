import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { createTestUser, type SignedIn, signIn, TEST_PASSWORD } from './accounts.test-support.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

describe('sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const me = (session: SignedIn) => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: session.read });
  const sessionIdOf = (session: SignedIn) => session.cookie.slice('al_session='.length).split('.')[0] as string;
  /** Moves a session's clock back, as if it had been created and last used that long ago. */
  const age = (session: SignedIn, fields: { createdMs?: number; seenMs?: number }) =>
    t.database.db
      .updateTable('sessions')
      .set({
        ...(fields.createdMs ? { created_at: new Date(Date.now() - fields.createdMs) } : {}),
        ...(fields.seenMs ? { last_seen_at: new Date(Date.now() - fields.seenMs) } : {}),
      })
      .where('id', '=', sessionIdOf(session))
      .execute();
  const setSettings = (payload: Record<string, number>) =>
    t.app.inject({ method: 'PUT', url: '/api/settings', headers: t.operator, payload });

  it('ends after the idle time from the settings, and a shorter setting applies at once', async () => {
    const user = await createTestUser(t, { role: 'viewer' });
    const session = await signIn(t, user.email);
    await age(session, { seenMs: 11 * HOUR });
    expect((await me(session)).statusCode).toBe(200);
    // Using it renewed last_seen_at (written at most once a minute): the idle clock restarted.
    const row = await t.database.db.selectFrom('sessions').select('last_seen_at').where('id', '=', sessionIdOf(session)).executeTakeFirstOrThrow();
    expect(Date.now() - row.last_seen_at.getTime()).toBeLessThan(60_000);

    await age(session, { seenMs: 13 * HOUR });
    const idle = await me(session);
    expect(idle.statusCode).toBe(401);
    expect(idle.json().error.code).toBe('UNAUTHENTICATED');

    const other = await signIn(t, user.email);
    await age(other, { seenMs: 3 * HOUR });
    expect((await me(other)).statusCode).toBe(200);
    await age(other, { seenMs: 3 * HOUR });
    expect((await setSettings({ sessionIdleHours: 2 })).statusCode).toBe(200);
    expect((await me(other)).statusCode).toBe(401);
    expect((await setSettings({ sessionIdleHours: 12 })).statusCode).toBe(200);
  });

  it('ends at the absolute lifetime from the settings, however active', async () => {
    const user = await createTestUser(t, { role: 'viewer' });
    const session = await signIn(t, user.email);
    await age(session, { createdMs: 29 * DAY });
    expect((await me(session)).statusCode).toBe(200);
    expect((await setSettings({ sessionMaxDays: 28 })).statusCode).toBe(200);
    expect((await me(session)).statusCode).toBe(401);
    expect((await setSettings({ sessionMaxDays: 30 })).statusCode).toBe(200);

    const fresh = await signIn(t, user.email);
    await t.database.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', sessionIdOf(fresh))
      .execute();
    expect((await me(fresh)).statusCode).toBe(401);
  });

  it('is revoked by logout, which clears the cookie', async () => {
    const user = await createTestUser(t, { role: 'viewer' });
    const session = await signIn(t, user.email);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: session.write });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ signedOut: true });
    expect(String(out.headers['set-cookie'])).toMatch(/^al_session=;/);
    expect((await me(session)).statusCode).toBe(401);
  });

  it('refuses a logout without the CSRF token (a page elsewhere cannot sign you out)', async () => {
    const user = await createTestUser(t, { role: 'viewer' });
    const session = await signIn(t, user.email);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: session.cookie, 'sec-fetch-site': 'same-origin' } });
    expect(out.statusCode).toBe(403);
    expect((await me(session)).statusCode).toBe(200);
  });

  it('are all revoked by DELETE /api/users/:id/sessions', async () => {
    const user = await createTestUser(t, { role: 'editor' });
    const one = await signIn(t, user.email);
    const two = await signIn(t, user.email);
    const response = await t.app.inject({ method: 'DELETE', url: `/api/users/${user.id}/sessions`, headers: t.operator });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ revoked: 2 });
    expect((await me(one)).statusCode).toBe(401);
    expect((await me(two)).statusCode).toBe(401);
  });

  it('are revoked when the user is deactivated, and when an admin sets a new password', async () => {
    const user = await createTestUser(t, { role: 'editor' });
    const session = await signIn(t, user.email);
    await t.app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: t.operator, payload: { password: 'a brand new password' } });
    expect((await me(session)).statusCode).toBe(401);
    const again = await signIn(t, user.email, 'a brand new password');
    const deactivated = await t.app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: t.operator, payload: { active: false } });
    expect(deactivated.statusCode).toBe(200);
    expect(deactivated.json().user.active).toBe(false);
    expect((await me(again)).statusCode).toBe(401);
  });

  it('changing your own password needs the current one and signs out your other sessions, not this one', async () => {
    const user = await createTestUser(t, { role: 'translator', locales: ['ar'] });
    const here = await signIn(t, user.email);
    const elsewhere = await signIn(t, user.email);
    const wrong = await t.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: here.write,
      payload: { currentPassword: 'not my password', newPassword: 'my new long password' },
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('CURRENT_PASSWORD_WRONG');
    const changed = await t.app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: here.write,
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'my new long password', locale: 'ar' },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().user).toMatchObject({ locale: 'ar', locales: ['ar'] });
    expect((await me(here)).statusCode).toBe(200);
    expect((await me(elsewhere)).statusCode).toBe(401);
    await signIn(t, user.email, 'my new long password');
  });

  it('loads the user on every request: a role change applies to the next one', async () => {
    const user = await createTestUser(t, { role: 'viewer' });
    const session = await signIn(t, user.email);
    const save = () => t.app.inject({ method: 'GET', url: '/api/users', headers: session.read });
    expect((await save()).statusCode).toBe(403);
    await t.app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: t.operator, payload: { role: 'admin' } });
    expect((await save()).statusCode).toBe(200);
    expect((await me(session)).json().permissions).toContain('users.manage');
  });

  it('refuses a forged cookie', async () => {
    const user = await createTestUser(t, { role: 'viewer' });
    const session = await signIn(t, user.email);
    const forged = `${session.cookie.split('.')[0]}.${'A'.repeat(43)}`;
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: forged } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
  });
});

describe('CSRF protection of session writes', () => {
  let t: TestApp;
  let session: SignedIn;
  beforeAll(async () => {
    t = await createTestApp({ env: { ANSWERLOOP_PUBLIC_URL: 'https://help.example.com' } });
    const user = await createTestUser(t, { role: 'admin' });
    session = await signIn(t, user.email);
  });
  afterAll(async () => {
    await t.close();
  });

  const put = (headers: Record<string, string>) =>
    t.app.inject({ method: 'PUT', url: '/api/settings', headers, payload: { helpCenterName: 'Changed' } });

  it('refuses a cookie write without the X-CSRF-Token header, or with a wrong one', async () => {
    const missing = await put({ cookie: session.cookie, 'sec-fetch-site': 'same-origin' });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.code).toBe('CSRF_REFUSED');
    const wrong = await put({ cookie: session.cookie, 'sec-fetch-site': 'same-origin', 'x-csrf-token': 'x'.repeat(32) });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('CSRF_REFUSED');
  });

  it('refuses a cookie write from another origin, or that shows no origin at all', async () => {
    const base = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
    expect((await put({ ...base, origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await put({ ...base, 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    const none = await put(base);
    expect(none.statusCode).toBe(403);
    expect(none.json().error.code).toBe('CSRF_REFUSED');
  });

  it('accepts a write with the right token from the same origin (Sec-Fetch-Site, or Origin of the public URL)', async () => {
    expect((await put({ cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
    const viaOrigin = await put({ cookie: session.cookie, 'x-csrf-token': session.csrfToken, origin: 'https://help.example.com' });
    expect(viaOrigin.statusCode).toBe(200);
    expect(viaOrigin.json().settings.helpCenterName).toBe('Changed');
  });

  it('needs no CSRF token for reads, nor for bearer-token writes', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/settings', headers: { cookie: session.cookie } })).statusCode).toBe(200);
    expect((await put(t.operator)).statusCode).toBe(200);
  });
});
