import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test-app.js';
import { createTestUser, sessionCookieOf, signIn, TEST_PASSWORD } from './accounts.test-support.js';

describe('signing in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('sets an HttpOnly, SameSite=Lax session cookie and returns the user, CSRF token and permissions', async () => {
    const user = await createTestUser(t, { role: 'editor', email: 'Edith@Example.com' });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'edith@example.COM', password: TEST_PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user).toMatchObject({ id: user.id, email: 'edith@example.com', role: 'editor', active: true });
    expect(body.user).not.toHaveProperty('passwordHash');
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{24,}$/);
    expect(body.permissions).toContain('content.write');
    expect(body.permissions).not.toContain('users.manage');
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/^al_session=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+;/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/);

    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: sessionCookieOf(response.headers['set-cookie']) } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { id: user.id }, csrfToken: body.csrfToken });
  });

  it('marks the cookie Secure behind HTTPS (trusted proxy)', async () => {
    const secure = await createTestApp({ env: { ANSWERLOOP_TRUST_PROXY: '1' } });
    try {
      const user = await createTestUser(secure, { role: 'viewer' });
      const response = await secure.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'x-forwarded-proto': 'https' },
        payload: { email: user.email, password: TEST_PASSWORD },
      });
      expect(response.statusCode).toBe(200);
      expect(String(response.headers['set-cookie'])).toMatch(/; Secure/);
    } finally {
      await secure.close();
    }
  });

  it('answers a wrong email, a wrong password and an inactive account with the same 401', async () => {
    const user = await createTestUser(t, { role: 'viewer' });
    const wrongEmail = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@example.com', password: TEST_PASSWORD },
    });
    const wrongPassword = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: 'not the password' },
    });
    await t.app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: t.operator, payload: { active: false } });
    const inactive = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    for (const response of [wrongEmail, wrongPassword, inactive]) {
      expect(response.statusCode).toBe(401);
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    expect(wrongEmail.json()).toEqual({
      error: { code: 'UNAUTHENTICATED', message: 'the email or password is not right' },
    });
    expect(wrongPassword.body).toBe(wrongEmail.body);
    expect(inactive.body).toBe(wrongEmail.body);
  });

  it('rotates the session on sign-in: the cookie sent with the login stops working', async () => {
    const user = await createTestUser(t, { role: 'viewer' });
    const first = await signIn(t, user.email);
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { cookie: first.cookie },
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    expect(second.statusCode).toBe(200);
    const secondCookie = sessionCookieOf(second.headers['set-cookie']);
    expect(secondCookie).not.toBe(first.cookie);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: first.cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: secondCookie } })).statusCode).toBe(200);
  });
});
