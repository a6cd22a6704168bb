import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * A preHandler guarding the operator API with `Authorization: Bearer <ANSWERLOOP_ADMIN_TOKEN>`.
 * Without a configured token the operator API is closed, never open.
 */
export function requireOperator(adminToken: string | undefined) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!adminToken) {
      throw new AppError('UNAUTHENTICATED', 'the operator API is closed: set ANSWERLOOP_ADMIN_TOKEN to enable it');
    }
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) throw new AppError('UNAUTHENTICATED', 'send the operator token as "Authorization: Bearer <token>"');
    if (!safeEqual(match[1]!.trim(), adminToken))
      throw new AppError('UNAUTHENTICATED', 'the operator token is not valid');
  };
}
