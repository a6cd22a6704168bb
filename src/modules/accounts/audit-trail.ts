import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DB } from '../../db/client.js';
import { AppError } from '../../server/errors.js';
import { type AuditActor, auditActorFrom, recordAudit } from './record-audit.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Request fields that never reach the audit log (besides the secret-looking names `diffFields` redacts). */
const MAX_BODY_FIELDS = 40;

/**
 * The audit actor of an operator request, for an operation that records its own entry (with before and after)
 * inside its transaction. Calling it tells the audit trail that this request's entry is taken care of.
 */
export function auditActorOf(request: FastifyRequest): AuditActor {
  if (!request.actor) throw new AppError('UNAUTHENTICATED', 'sign in to use this part of the API');
  request.auditDelegated = true;
  return auditActorFrom(request.actor);
}

function bodyFields(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return body === undefined ? {} : { body };
  }
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).slice(0, MAX_BODY_FIELDS));
}

/**
 * Makes sure every successful write by an authenticated caller leaves an audit entry. Operations that know the
 * object's before and after record their own (see `auditActorOf`); any other write is recorded here, before the
 * answer is sent, with the route as the action, its parameters as the object and what the caller sent as the change.
 */
export function installAuditTrail(app: FastifyInstance, db: DB): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (SAFE_METHODS.has(request.method) || !request.actor || request.auditDelegated) return payload;
    if (reply.statusCode >= 400) return payload;
    const route = request.routeOptions.url ?? request.url.split('?')[0] ?? '';
    const params = (request.params ?? {}) as Record<string, unknown>;
    const objectId = Object.values(params).map(String).join('/');
    await recordAudit(db, {
      actor: auditActorFrom(request.actor),
      action: `${request.method} ${route}`.slice(0, 200),
      object: { type: route.split('/')[2] ?? 'api', id: objectId },
      before: null,
      after: bodyFields(request.body),
    });
    return payload;
  });
}
