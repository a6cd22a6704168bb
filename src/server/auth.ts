import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

type OperatorGuard = (request: FastifyRequest) => Promise<void>;

const guards = new WeakSet<OperatorGuard>();

/**
 * A hook guarding the operator API with `Authorization: Bearer <ANSWERLOOP_ADMIN_TOKEN>`. Without a configured
 * token the operator API is closed, never open. Routes may attach it as `preHandler`: `buildApp` moves it to
 * `onRequest` (see `isOperatorGuard`), so a caller without the token learns nothing about the body the route expects.
 */
export function requireOperator(adminToken: string | undefined): OperatorGuard {
  const guard: OperatorGuard = async (request) => {
    if (!adminToken) {
      throw new AppError('UNAUTHENTICATED', 'the operator API is closed: set ANSWERLOOP_ADMIN_TOKEN to enable it');
    }
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) throw new AppError('UNAUTHENTICATED', 'send the operator token as "Authorization: Bearer <token>"');
    if (!safeEqual(match[1]!.trim(), adminToken))
      throw new AppError('UNAUTHENTICATED', 'the operator token is not valid');
  };
  guards.add(guard);
  return guard;
}

/** True for a hook made by `requireOperator`. */
export function isOperatorGuard(hook: unknown): boolean {
  return typeof hook === 'function' && guards.has(hook as OperatorGuard);
}
