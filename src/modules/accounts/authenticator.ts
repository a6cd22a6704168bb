import type { FastifyRequest } from 'fastify';
import type { DB } from '../../db/client.js';
import { type Actor, type Authenticator, bearerOf, bootstrapActor, safeEqual } from '../../server/auth.js';
import { AppError } from '../../server/errors.js';
import { sha256 } from './passwords.js';
import { parseSessionCookie, SESSION_COOKIE } from './sessions.js';
import type { SettingsCache } from './settings.js';

/** Personal API tokens start with this, so the authenticator knows where to look (and leak scanners can find them). */
export const TOKEN_PREFIX = 'al_pat_';
/** last_seen_at / last_used_at are written at most this often per session or token. */
const TOUCH_EVERY_MS = 60_000;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host.replace(/:(80|443)$/, '');
  } catch {
    return undefined;
  }
}

/**
 * A cookie-authenticated write must come from our own pages: the browser says so with `Sec-Fetch-Site: same-origin`,
 * or (older browsers) with an `Origin` of this server or ANSWERLOOP_PUBLIC_URL. A request with neither header is
 * refused, unlike a bearer-token request: a cookie is sent by the browser on its own, a token is not.
 */
function assertOwnOrigin(request: FastifyRequest, publicUrl: string | undefined): void {
  const site = request.headers['sec-fetch-site'];
  if (site === 'same-origin') return;
  const origin = request.headers.origin;
  if (site === undefined && origin !== undefined && origin !== 'null') {
    const host = hostOf(origin);
    const own = request.host.replace(/:(80|443)$/, '');
    if (host !== undefined && (host === own || (publicUrl !== undefined && host === hostOf(publicUrl)))) return;
  }
  throw new AppError('CSRF_REFUSED', 'this change must come from the admin app itself (its origin was not shown)');
}

function ended(): AppError {
  return new AppError('UNAUTHENTICATED', 'your session has ended; sign in again');
}

/**
 * The one authenticator: the admin app's session cookie, a personal API token (`Bearer al_pat_…`) or the bootstrap
 * token (ANSWERLOOP_ADMIN_TOKEN). Sessions and tokens load their user on every request (one indexed query), so a
 * role change, a deactivation or a revocation applies at once.
 */
export function createAccountsAuthenticator(deps: {
  db: DB;
  adminToken: string | undefined;
  publicUrl: string | undefined;
  settings: SettingsCache;
}): Authenticator {
  const { db } = deps;

  async function byToken(secret: string): Promise<Actor> {
    const row = await db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select([
        't.id',
        't.expires_at',
        't.revoked_at',
        't.last_used_at',
        'u.id as user_id',
        'u.email',
        'u.role',
        'u.locales',
        'u.active',
      ])
      .where('t.token_hash', '=', sha256(secret))
      .executeTakeFirst();
    const now = Date.now();
    if (!row || row.revoked_at || !row.active || (row.expires_at && row.expires_at.getTime() <= now)) {
      throw new AppError('UNAUTHENTICATED', 'the API token is not valid (revoked, expired or unknown)');
    }
    if (!row.last_used_at || now - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
      await db.updateTable('api_tokens').set({ last_used_at: new Date(now) }).where('id', '=', row.id).execute();
    }
    return {
      via: 'token',
      userId: row.user_id,
      label: row.email,
      role: row.role,
      locales: row.role === 'translator' ? row.locales : [],
      tokenId: row.id,
    };
  }

  async function bySession(request: FastifyRequest, value: string): Promise<Actor> {
    const parsed = parseSessionCookie(value);
    if (!parsed) throw ended();
    const row = await db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select([
        's.id',
        's.secret_hash',
        's.csrf_token',
        's.created_at',
        's.last_seen_at',
        's.expires_at',
        's.revoked_at',
        'u.id as user_id',
        'u.email',
        'u.role',
        'u.locales',
        'u.active',
      ])
      .where('s.id', '=', parsed.id)
      .executeTakeFirst();
    if (!row || !safeEqual(Buffer.from(row.secret_hash).toString('hex'), sha256(parsed.secret).toString('hex'))) {
      throw ended();
    }
    const settings = await deps.settings.get();
    const now = Date.now();
    const absoluteEnd = Math.min(row.expires_at.getTime(), row.created_at.getTime() + settings.sessionMaxDays * DAY_MS);
    const idleEnd = row.last_seen_at.getTime() + settings.sessionIdleHours * HOUR_MS;
    if (row.revoked_at || !row.active || now >= absoluteEnd || now >= idleEnd) throw ended();
    if (!SAFE_METHODS.has(request.method)) {
      assertOwnOrigin(request, deps.publicUrl);
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, row.csrf_token)) {
        throw new AppError('CSRF_REFUSED', 'send the X-CSRF-Token header this session was given (GET /api/auth/me)');
      }
    }
    if (now - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
      const seen = new Date(now);
      await db.updateTable('sessions').set({ last_seen_at: seen }).where('id', '=', row.id).execute();
      await db.updateTable('users').set({ last_seen_at: seen }).where('id', '=', row.user_id).execute();
    }
    return {
      via: 'session',
      userId: row.user_id,
      label: row.email,
      role: row.role,
      locales: row.role === 'translator' ? row.locales : [],
      sessionId: row.id,
      csrfToken: row.csrf_token,
    };
  }

  return {
    async authenticate(request) {
      const bearer = bearerOf(request);
      if (bearer !== undefined) {
        if (bearer.startsWith(TOKEN_PREFIX)) return byToken(bearer);
        if (deps.adminToken && safeEqual(bearer, deps.adminToken)) return bootstrapActor();
        throw new AppError('UNAUTHENTICATED', 'the API token is not valid');
      }
      const cookie = request.cookies?.[SESSION_COOKIE];
      if (cookie === undefined || cookie === '') return null;
      return bySession(request, cookie);
    },
  };
}
