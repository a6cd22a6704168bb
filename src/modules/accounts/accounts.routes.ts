import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Actor, requirePermission } from '../../server/auth.js';
import type { AppContext } from '../../server/context.js';
import { AppError } from '../../server/errors.js';
import { type Permission, permissionsOf } from '../../shared/permissions.js';
import { findUser, listUsers } from './accounts.queries.js';
import {
  ZAuditQuery,
  ZAuditResponse,
  ZCreateTokenRequest,
  ZCreateTokenResponse,
  ZCreateUserRequest,
  ZCreateUserResponse,
  ZErrorResponse,
  ZLoginRequest,
  ZLoginResponse,
  ZLogoutResponse,
  ZMeResponse,
  ZRevokeSessionsResponse,
  ZRevokeTokenResponse,
  ZSettingsResponse,
  ZTokenListResponse,
  ZTokenParams,
  ZUpdateMeRequest,
  ZUpdateSettingsRequest,
  ZUpdateUserRequest,
  ZUserListResponse,
  ZUserParams,
  ZUserResponse,
} from './accounts.schema.js';
import { createToken, listTokens, revokeToken } from './api-tokens.js';
import { auditActorOf } from './audit-trail.js';
import { createUser } from './create-user.js';
import { listAudit } from './list-audit.js';
import { presentUser } from './present-user.js';
import { recordAudit } from './record-audit.js';
import { revokeSession, revokeUserSessions, SESSION_COOKIE } from './sessions.js';
import { signIn } from './sign-in.js';
import { getSettings, updateSettings } from './settings.js';
import { updateOwnProfile } from './update-own-profile.js';
import { updateUser } from './update-user.js';

/** Routes under /api/auth authenticate themselves (any signed-in user): the role matrix lists them as public. */
export const SELF_AUTHENTICATED_ROUTES = ['/api/auth/login', '/api/auth/logout', '/api/auth/me'] as const;

/** Sign-in, sessions, users, personal API tokens, the audit log and the help center's settings. */
export function accountsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const guard = (permission: Permission) => requirePermission(ctx.auth, permission);
    const errors = { 400: ZErrorResponse, 401: ZErrorResponse, 403: ZErrorResponse, 404: ZErrorResponse };
    const secureCookie = (request: FastifyRequest) =>
      request.protocol === 'https' || (ctx.config.publicUrl?.startsWith('https:') ?? false);
    const clearCookie = (request: FastifyRequest, reply: FastifyReply) =>
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookie(request) });

    /** The signed-in caller of a self-authenticated route (session or personal token, not the bootstrap token). */
    async function signedIn(request: FastifyRequest): Promise<Actor & { userId: number }> {
      const actor = request.actor ?? (await ctx.auth.authenticate(request));
      if (!actor) throw new AppError('UNAUTHENTICATED', 'sign in first');
      request.actor = actor;
      if (actor.userId === null) {
        throw new AppError('UNAUTHENTICATED', 'the bootstrap token belongs to no user; sign in as one');
      }
      return actor as Actor & { userId: number };
    }

    /** The caller's own user row as the API shows it (401 when it was deactivated or deleted meanwhile). */
    async function me(actor: Actor & { userId: number }) {
      const row = await findUser(ctx.db, actor.userId);
      if (!row?.active) throw new AppError('UNAUTHENTICATED', 'sign in first');
      return presentUser(row);
    }

    app.post(
      '/api/auth/login',
      {
        schema: {
          tags: ['accounts'],
          summary: 'Sign in with email and password: sets the al_session cookie and returns the CSRF token',
          body: ZLoginRequest,
          response: { 200: ZLoginResponse, 400: ZErrorResponse, 401: ZErrorResponse, 429: ZErrorResponse },
        },
      },
      async (request, reply) => {
        const settings = await ctx.settings.get();
        const result = await signIn(
          ctx.db,
          {
            ...request.body,
            ip: request.ip,
            userAgent: request.headers['user-agent'],
            previousCookie: request.cookies[SESSION_COOKIE],
          },
          { networkKey: ctx.keys.network, sessionMaxDays: settings.sessionMaxDays },
        );
        if (!result.ok) {
          reply.header('retry-after', String(result.retryAfterSeconds));
          throw new AppError(
            'LOGIN_THROTTLED',
            `too many failed sign-ins; try again in ${result.retryAfterSeconds} second${result.retryAfterSeconds === 1 ? '' : 's'}`,
          );
        }
        reply.setCookie(SESSION_COOKIE, result.session.cookie, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: secureCookie(request),
          expires: result.session.expiresAt,
        });
        return { user: result.user, csrfToken: result.session.csrfToken, permissions: result.permissions };
      },
    );

    app.post(
      '/api/auth/logout',
      {
        schema: {
          tags: ['accounts'],
          summary: 'Sign out: revokes the session and clears its cookie',
          response: { 200: ZLogoutResponse, 403: ZErrorResponse },
        },
      },
      async (request, reply) => {
        let actor: Actor | null = null;
        try {
          actor = await ctx.auth.authenticate(request);
        } catch (error) {
          // An ended session is signed out already; a refused CSRF token is not (a page elsewhere can't sign you out).
          if (!(error instanceof AppError) || error.code !== 'UNAUTHENTICATED') throw error;
        }
        if (actor?.via === 'session' && actor.sessionId) {
          request.actor = actor;
          const sessionId = actor.sessionId;
          const auditActor = auditActorOf(request);
          await ctx.db.transaction().execute(async (trx) => {
            if (await revokeSession(trx, sessionId)) {
              await recordAudit(trx, {
                actor: auditActor,
                action: 'session.revoke',
                object: { type: 'session', id: sessionId },
                before: null,
                after: { reason: 'signed out' },
              });
            }
          });
        }
        clearCookie(request, reply);
        return { signedOut: true as const };
      },
    );

    app.get(
      '/api/auth/me',
      {
        schema: {
          tags: ['accounts'],
          summary: 'The signed-in user, their permissions and the session’s CSRF token',
          response: { 200: ZMeResponse, 401: ZErrorResponse },
        },
      },
      async (request) => {
        const actor = await signedIn(request);
        const user = await me(actor);
        return { user, csrfToken: actor.csrfToken ?? '', permissions: permissionsOf(user.role) };
      },
    );

    app.patch(
      '/api/auth/me',
      {
        schema: {
          tags: ['accounts'],
          summary: 'Change your own name, admin-app language or password',
          body: ZUpdateMeRequest,
          response: { 200: ZUserResponse, ...errors },
        },
      },
      async (request) => {
        const actor = await signedIn(request);
        const user = await updateOwnProfile(ctx.db, actor.userId, request.body, {
          actor: auditActorOf(request),
          sessionId: actor.sessionId,
        });
        return { user };
      },
    );

    app.get(
      '/api/users',
      {
        preHandler: guard('users.manage'),
        schema: { tags: ['accounts'], summary: 'Every user', response: { 200: ZUserListResponse, ...errors } },
      },
      async () => ({ users: await listUsers(ctx.db) }),
    );

    app.post(
      '/api/users',
      {
        preHandler: guard('users.manage'),
        schema: {
          tags: ['accounts'],
          summary: 'Create a user; without a password one is generated and returned once',
          body: ZCreateUserRequest,
          response: { 201: ZCreateUserResponse, ...errors, 409: ZErrorResponse },
        },
      },
      async (request, reply) => {
        const { password, ...rest } = request.body;
        const created = await createUser(
          ctx.db,
          { ...rest, ...(password !== undefined ? { password } : {}) },
          { actor: auditActorOf(request) },
        );
        reply.code(201);
        return {
          user: created.user,
          ...(created.generatedPassword ? { password: created.generatedPassword } : {}),
        };
      },
    );

    app.patch(
      '/api/users/:id',
      {
        preHandler: guard('users.manage'),
        schema: {
          tags: ['accounts'],
          summary: 'Change a user: name, role, language, locales, active, password',
          params: ZUserParams,
          body: ZUpdateUserRequest,
          response: { 200: ZUserResponse, ...errors, 409: ZErrorResponse },
        },
      },
      async (request) => {
        const user = await updateUser(ctx.db, request.params.id, request.body, { actor: auditActorOf(request) });
        return { user };
      },
    );

    app.delete(
      '/api/users/:id/sessions',
      {
        preHandler: guard('users.manage'),
        schema: {
          tags: ['accounts'],
          summary: 'Sign a user out everywhere: revokes all their sessions',
          params: ZUserParams,
          response: { 200: ZRevokeSessionsResponse, ...errors },
        },
      },
      async (request) => {
        const actor = auditActorOf(request);
        const user = await findUser(ctx.db, request.params.id);
        if (!user) throw new AppError('NOT_FOUND', `user ${request.params.id} was not found`);
        const revoked = await ctx.db
          .transaction()
          .execute((trx) => revokeUserSessions(trx, { userId: user.id, actor, reason: 'revoked by an admin' }));
        return { revoked };
      },
    );

    app.get(
      '/api/tokens',
      {
        preHandler: guard('tokens.own'),
        schema: { tags: ['accounts'], summary: 'Your personal API tokens', response: { 200: ZTokenListResponse, ...errors } },
      },
      async (request) => {
        const userId = request.actor?.userId;
        return { tokens: userId ? await listTokens(ctx.db, userId) : [] };
      },
    );

    app.post(
      '/api/tokens',
      {
        preHandler: guard('tokens.own'),
        schema: {
          tags: ['accounts'],
          summary: 'Create a personal API token (the secret is shown once); it carries your role',
          body: ZCreateTokenRequest,
          response: { 201: ZCreateTokenResponse, ...errors, 409: ZErrorResponse },
        },
      },
      async (request, reply) => {
        const userId = request.actor?.userId;
        if (!userId) throw new AppError('FORBIDDEN', 'the bootstrap token belongs to no user; sign in to create tokens');
        const created = await createToken(
          ctx.db,
          { userId, name: request.body.name, expiresInDays: request.body.expiresInDays },
          { actor: auditActorOf(request) },
        );
        reply.code(201);
        return created;
      },
    );

    app.delete(
      '/api/tokens/:id',
      {
        preHandler: guard('tokens.own'),
        schema: {
          tags: ['accounts'],
          summary: 'Revoke one of your personal API tokens',
          params: ZTokenParams,
          response: { 200: ZRevokeTokenResponse, ...errors },
        },
      },
      async (request) => {
        const userId = request.actor?.userId;
        if (!userId) throw new AppError('NOT_FOUND', `token ${request.params.id} was not found`);
        await revokeToken(ctx.db, { userId, tokenId: request.params.id }, { actor: auditActorOf(request) });
        return { revoked: true as const };
      },
    );

    app.get(
      '/api/audit',
      {
        preHandler: guard('audit.read'),
        schema: {
          tags: ['accounts'],
          summary: 'The audit log, newest first: filters from, to, actor, action (prefix), objectType; paging by before',
          querystring: ZAuditQuery,
          response: { 200: ZAuditResponse, ...errors },
        },
      },
      async (request) => listAudit(ctx.db, request.query),
    );

    app.get(
      '/api/settings',
      {
        preHandler: guard('content.read'),
        schema: { tags: ['accounts'], summary: 'The help center’s settings', response: { 200: ZSettingsResponse, ...errors } },
      },
      async () => ({ settings: await getSettings(ctx.db) }),
    );

    app.put(
      '/api/settings',
      {
        preHandler: guard('settings.write'),
        schema: {
          tags: ['accounts'],
          summary: 'Change some of the help center’s settings (fields left out keep their value)',
          body: ZUpdateSettingsRequest,
          response: { 200: ZSettingsResponse, ...errors },
        },
      },
      async (request) => ({
        settings: await updateSettings(ctx.db, request.body, { actor: auditActorOf(request), bus: ctx.bus }),
      }),
    );
  };
}

