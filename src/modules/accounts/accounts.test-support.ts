import type { Role } from '../../shared/permissions.js';
import type { TestApp } from '../../server/test-app.js';
import type { UserView } from './accounts.schema.js';

export const TEST_PASSWORD = 'correct horse battery';

export interface SignedIn {
  user: UserView;
  /** `cookie` header carrying the session. */
  cookie: string;
  csrfToken: string;
  /** Headers for a state-changing request of this session (cookie, CSRF token, same-origin). */
  write: Record<string, string>;
  /** Headers for a read. */
  read: Record<string, string>;
}

/** The `al_session=…` pair of a response's Set-Cookie, for the next request's Cookie header. */
export function sessionCookieOf(setCookie: string | string[] | undefined): string {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const found = all.find((c) => c.startsWith('al_session='));
  if (!found) throw new Error(`no al_session cookie in ${JSON.stringify(all)}`);
  return found.split(';')[0] as string;
}

/** Creates a user through the API (as the bootstrap admin). */
export async function createTestUser(
  t: TestApp,
  input: { role: Role; email?: string; name?: string; locales?: string[]; password?: string },
): Promise<UserView> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/users',
    headers: t.operator,
    payload: {
      email: input.email ?? `${input.role}-${Math.random().toString(36).slice(2, 8)}@example.com`,
      name: input.name ?? `Test ${input.role}`,
      role: input.role,
      locale: 'en',
      ...(input.locales ? { locales: input.locales } : {}),
      password: input.password ?? TEST_PASSWORD,
    },
  });
  if (response.statusCode !== 201) throw new Error(`creating a user: ${response.statusCode} ${response.body}`);
  return (response.json() as { user: UserView }).user;
}

/** Signs in through POST /api/auth/login. */
export async function signIn(t: TestApp, email: string, password = TEST_PASSWORD): Promise<SignedIn> {
  const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`signing in: ${response.statusCode} ${response.body}`);
  const body = response.json() as { user: UserView; csrfToken: string };
  const cookie = sessionCookieOf(response.headers['set-cookie']);
  return {
    user: body.user,
    cookie,
    csrfToken: body.csrfToken,
    read: { cookie },
    write: { cookie, 'x-csrf-token': body.csrfToken, 'sec-fetch-site': 'same-origin' },
  };
}

/** A user of the role with a personal API token: `Authorization` headers for it. */
export async function tokenFor(
  t: TestApp,
  role: Role,
  options: { locales?: string[] } = {},
): Promise<{ user: UserView; headers: { authorization: string }; secret: string }> {
  const user = await createTestUser(t, { role, ...options });
  const session = await signIn(t, user.email);
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/tokens',
    headers: session.write,
    payload: { name: `${role} test token` },
  });
  if (response.statusCode !== 201) throw new Error(`creating a token: ${response.statusCode} ${response.body}`);
  const { secret } = response.json() as { secret: string };
  return { user, headers: { authorization: `Bearer ${secret}` }, secret };
}
