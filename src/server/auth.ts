import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { can, PERMISSIONS, type Permission, type Role } from '../shared/permissions.js';
import { AppError } from './errors.js';

/** Who is calling an operator route, however they proved it. */
export interface Actor {
  /** session: the admin app's cookie; token: a personal API token; bootstrap: ANSWERLOOP_ADMIN_TOKEN. */
  via: 'session' | 'token' | 'bootstrap';
  /** The user; null only for the bootstrap token, which belongs to no one. */
  userId: number | null;
  /** For the audit log and the log: the user's email, or "bootstrap token". */
  label: string;
  role: Role;
  /** A translator's assigned locales (empty for other roles: they are not limited by locale). */
  locales: readonly string[];
  /** The session row's id (not its secret), for logout and rotation. */
  sessionId?: string;
  /** The personal token's id, for the audit log. */
  tokenId?: number;
  /** A session's CSRF token (what `me` hands the admin app). */
  csrfToken?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the permission guard of an operator route. */
    actor?: Actor;
    /** Set once an operation took over writing the audit entry for this request (see `auditActorOf`). */
    auditDelegated?: boolean;
  }
}

/**
 * Turns a request's credentials into an actor: null when it carries none, an AppError (401) when they are wrong,
 * expired or revoked, or (403) when a session's write lacks its CSRF token.
 */
export interface Authenticator {
  authenticate(request: FastifyRequest): Promise<Actor | null>;
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The bearer token of an `Authorization` header, if it has one. */
export function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The actor of ANSWERLOOP_ADMIN_TOKEN: an admin that is no user. */
export function bootstrapActor(): Actor {
  return { via: 'bootstrap', userId: null, label: 'bootstrap token', role: 'admin', locales: [] };
}

/** Accepts only the bootstrap token; the accounts module's authenticator adds sessions and personal tokens. */
export function bootstrapAuthenticator(adminToken: string | undefined): Authenticator {
  return {
    async authenticate(request) {
      const token = bearerOf(request);
      if (token === undefined) return null;
      if (adminToken && safeEqual(token, adminToken)) return bootstrapActor();
      throw new AppError('UNAUTHENTICATED', 'the API token is not valid');
    },
  };
}

export type PermissionGuard = ((request: FastifyRequest) => Promise<void>) & { readonly permission: Permission };

const guards = new WeakSet<PermissionGuard>();

/**
 * A hook guarding an operator route: authenticates the caller (401 without valid credentials) and requires the
 * permission of its role (403). Routes may attach it as `preHandler`: `buildApp` moves it to `onRequest` (see
 * `permissionOf`), so a caller who may not use the route learns nothing about the body it expects. A route whose
 * rule depends on the object (a translator's locales) checks that in its handler with `assertLocaleAllowed`.
 * `publicWhen` lets a request through unauthenticated when it asks for the route's public variant (its handler must
 * then answer only public data for it).
 */
export function requirePermission(
  auth: Authenticator,
  permission: Permission,
  options: { publicWhen?: (request: FastifyRequest) => boolean } = {},
): PermissionGuard {
  const guard = Object.assign(
    async (request: FastifyRequest) => {
      // One path, two audiences (GET /api/forms/:key?locale= is the reader's form, without it the operator's):
      // the route stays an operator route in the registry, and the public variant skips the guard.
      if (options.publicWhen?.(request)) return;
      const actor = request.actor ?? (await auth.authenticate(request));
      if (!actor) {
        throw new AppError(
          'UNAUTHENTICATED',
          'sign in, or send an API token as "Authorization: Bearer <token>", to use this part of the API',
        );
      }
      request.actor = actor;
      if (!can(actor.role, permission)) {
        throw new AppError('FORBIDDEN', `your role (${actor.role}) may not ${PERMISSIONS[permission]}`);
      }
    },
    { permission },
  );
  guards.add(guard);
  return guard;
}

/** The permission a hook requires, when it is a guard made by `requirePermission`. */
export function permissionOf(hook: unknown): Permission | undefined {
  return typeof hook === 'function' && guards.has(hook as PermissionGuard)
    ? (hook as PermissionGuard).permission
    : undefined;
}

/**
 * Refuses a translator (or anyone limited by locale) a locale that is not theirs. Editors and admins are not limited.
 */
export function assertLocaleAllowed(actor: Actor | undefined, locale: string): void {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'sign in to use this part of the API');
  if (actor.role !== 'translator') return;
  if (!actor.locales.includes(locale)) {
    throw new AppError('FORBIDDEN', `you translate ${actor.locales.join(', ') || 'no locale yet'}, not ${locale}`);
  }
}
