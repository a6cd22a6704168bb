import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { AppConfig } from '../config/env.js';
import type { Permission } from '../shared/permissions.js';
import { findUnstorableText, UNSTORABLE_TEXT_MESSAGE } from '../shared/text.js';
import { permissionOf } from './auth.js';
import { AppError } from './errors.js';

/**
 * Browser features no help center page uses, denied so that injected or third-party content can't ask for them.
 * `interest-cohort` (FLoC) is kept for the browsers that shipped it; `browsing-topics` is its successor.
 */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'autoplay=()',
  'browsing-topics=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'hid=()',
  'interest-cohort=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'serial=()',
  'usb=()',
].join(', ');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The host of an origin, without a default port (a Host header may carry ":80" where an Origin never does). */
function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host.replace(/:(80|443)$/, '');
  } catch {
    return undefined;
  }
}

/**
 * Refuses a state-changing `/api` request that a browser says comes from another site (a page elsewhere posting in
 * the reader's name, or reading an operator's answers). `Sec-Fetch-Site` is set by the browser and can't be forged
 * by a page; without it the `Origin` must be this server or ANSWERLOOP_PUBLIC_URL. `Origin: null` (sandboxed frames,
 * `data:` pages) is refused. Requests with neither header (curl, servers with a bearer token) are not from a browser
 * page and pass. The collector (`/v1/*`) is the one cross-origin API and has its own CORS.
 */
export function assertSameOriginWrite(request: FastifyRequest, publicUrl: string | undefined): void {
  const site = request.headers['sec-fetch-site'];
  if (site === 'same-origin' || site === 'none') return;
  if (site !== undefined) {
    throw new AppError('CROSS_ORIGIN_REFUSED', 'this API accepts changes from the help center itself only');
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const host = origin === 'null' ? undefined : hostOf(origin);
  const own = request.host.replace(/:(80|443)$/, '');
  const allowed = host !== undefined && (host === own || (publicUrl !== undefined && host === hostOf(publicUrl)));
  if (!allowed) throw new AppError('CROSS_ORIGIN_REFUSED', 'this API accepts changes from the help center itself only');
}

/** An operator route and the permission it requires (the role matrix test walks these). */
export interface OperatorRoute {
  method: string;
  url: string;
  permission: Permission;
}

function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * The checks every route gets, installed once in `buildApp` before any route so no module can forget them:
 * operator authentication before the body is read or validated, same-origin writes on `/api`, text the database can
 * store in every parameter, query and body, and the Permissions-Policy header.
 */
export function installEdgeGuards(app: FastifyInstance, config: AppConfig): OperatorRoute[] {
  const operatorRoutes: OperatorRoute[] = [];
  // Routes attach requirePermission as a preHandler, which runs after validation: an unauthenticated caller would
  // learn the body's fields from a 400. Moved to onRequest, it answers 401/403 before the body is even parsed.
  app.addHook('onRoute', (route: RouteOptions) => {
    const preHandlers = asList<unknown>(route.preHandler);
    const guards = preHandlers.filter((hook) => permissionOf(hook) !== undefined);
    const onRequest = asList<unknown>(route.onRequest);
    const permission = [...guards, ...onRequest].map(permissionOf).find((p) => p !== undefined);
    if (permission === undefined) return;
    for (const method of asList(route.method)) {
      if (method !== 'HEAD') operatorRoutes.push({ method, url: route.url, permission });
    }
    if (guards.length === 0) return;
    route.preHandler = preHandlers.filter((hook) => permissionOf(hook) === undefined) as RouteOptions['preHandler'];
    route.onRequest = [...guards, ...onRequest] as RouteOptions['onRequest'];
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('permissions-policy', PERMISSIONS_POLICY);
    // The collector's CORS plugin adds OPTIONS * for every path; only /v1/* is cross-origin, so a preflight anywhere
    // else gets no allowance and never reaches the collector's hooks.
    if (request.method === 'OPTIONS' && !request.url.startsWith('/v1/')) {
      return reply.status(404).send({
        error: { code: 'NOT_FOUND', message: `no route for OPTIONS ${request.url.split('?')[0]}` },
      });
    }
    if (!SAFE_METHODS.has(request.method) && request.url.startsWith('/api/')) {
      assertSameOriginWrite(request, config.publicUrl);
    }
  });

  // After parsing, before any schema: NUL and unpaired surrogates anywhere in what the client sent are refused here,
  // for routes with and without schemas (site pages take raw params), instead of reaching the database as a 500.
  // The collector (/v1/*) is exempt: it cleans such text itself (normalize-message.ts), as Segment clients expect a
  // batch to be stored even when one property holds an odd character.
  app.addHook('preValidation', async (request) => {
    if (request.url.startsWith('/v1/')) return;
    const where =
      findUnstorableText(request.params, 'params') ??
      findUnstorableText(request.query, 'query') ??
      findUnstorableText(request.body, 'body');
    if (where !== undefined) {
      throw new AppError('INVALID_TEXT', `${where} ${UNSTORABLE_TEXT_MESSAGE}`, [
        { path: where, message: UNSTORABLE_TEXT_MESSAGE },
      ]);
    }
  });
  return operatorRoutes;
}
